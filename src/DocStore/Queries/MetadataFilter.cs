using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace DocStore;

/// <summary>
/// Matches documents whose metadata has a top-level <see cref="Key"/> equal to a scalar value.
/// Comparison follows SQLite's <c>json_extract</c>: strings match strings, numbers match numbers,
/// and <c>true</c>/<c>false</c> match 1/0.
/// </summary>
public sealed partial class MetadataFilter
{
    private MetadataFilter(string key, string jsonValue)
    {
        if (!KeyPattern().IsMatch(key ?? string.Empty))
        {
            throw new ArgumentException(
                $"Metadata filter key '{key}' is not allowed: use 1-64 letters, digits, '_' or '-'.", nameof(key));
        }

        Key = key!;
        JsonValue = jsonValue;
    }

    /// <summary>The top-level metadata key.</summary>
    public string Key { get; }

    /// <summary>The value as a JSON literal.</summary>
    public string JsonValue { get; }

    /// <summary>The JSON path of <see cref="Key"/>, as SQLite's json functions take it.</summary>
    internal string JsonPath => "$.\"" + Key + "\"";

    /// <summary>Matches a string value.</summary>
    /// <param name="key">The top-level key.</param>
    /// <param name="value">The string to match.</param>
    /// <returns>The filter.</returns>
    public static MetadataFilter Equal(string key, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return new(key, JsonSerializer.Serialize(value));
    }

    /// <summary>Matches an integer value.</summary>
    /// <param name="key">The top-level key.</param>
    /// <param name="value">The number to match.</param>
    /// <returns>The filter.</returns>
    public static MetadataFilter Equal(string key, long value) => new(key, value.ToString(CultureInfo.InvariantCulture));

    /// <summary>Matches a real value.</summary>
    /// <param name="key">The top-level key.</param>
    /// <param name="value">The number to match; must be finite.</param>
    /// <returns>The filter.</returns>
    public static MetadataFilter Equal(string key, double value)
    {
        if (!double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(nameof(value), "Metadata filter values must be finite numbers.");
        }

        return new(key, value.ToString("R", CultureInfo.InvariantCulture));
    }

    /// <summary>Matches a boolean value.</summary>
    /// <param name="key">The top-level key.</param>
    /// <param name="value">The boolean to match.</param>
    /// <returns>The filter.</returns>
    public static MetadataFilter Equal(string key, bool value) => new(key, value ? "true" : "false");

    /// <inheritdoc />
    public override string ToString() => $"{Key} = {JsonValue}";

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$", RegexOptions.CultureInvariant)]
    private static partial Regex KeyPattern();
}
