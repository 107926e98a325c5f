using System.Collections.ObjectModel;
using System.Text;
using System.Text.Json;

namespace DocStore.Internal;

/// <summary>
/// Tags as stored on the document row: a JSON array of strings (the tag table serves filters, and the
/// full-text index sees them as words through <see cref="IndexText"/>).
/// </summary>
internal static class StoredTags
{
    public static readonly IReadOnlyList<string> Empty = new ReadOnlyCollection<string>([]);

    /// <summary>
    /// The JSON array, without escapes a tag never needs: validated tags hold letters, digits, marks and
    /// <c>_ - . : / + #</c>, none of which JSON must escape, so "café" is stored as typed rather than as
    /// <c>caf\u00e9</c> (whose escape the full-text tokenizer would otherwise have indexed as words).
    /// </summary>
    public static string Serialize(IReadOnlyList<string> tags)
    {
        if (tags.Count == 0)
        {
            return "[]";
        }

        var json = new StringBuilder(2 + (tags.Count * 12)).Append('[');
        foreach (var tag in tags)
        {
            if (tag.AsSpan().IndexOfAny('"', '\\') >= 0 || tag.Any(char.IsControl))
            {
                // Never for a validated tag; kept correct anyway.
                return JsonSerializer.Serialize(tags);
            }

            json.Append('"').Append(tag).Append("\",");
        }

        json[^1] = ']';
        return json.ToString();
    }

    /// <summary>Parses the stored array into a read-only list (a wrapper, so callers cannot cast and mutate it).</summary>
    public static IReadOnlyList<string> Parse(string json)
    {
        if (json.Length <= 2)
        {
            return Empty;
        }

        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(json));
        var tags = new List<string>();
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.String)
            {
                tags.Add(reader.GetString()!);
            }
        }

        return tags.Count == 0 ? Empty : new ReadOnlyCollection<string>(tags.ToArray());
    }

    /// <summary>
    /// What the full-text index holds for the tags: the stored array with its JSON punctuation replaced
    /// exactly as the <c>documents_fts_source</c> view does it, so the index and its content always agree:
    /// <c>["a","b"]</c> becomes <c>a b</c>. (Stored tags hold no quotes, brackets or escapes.)
    /// </summary>
    public static string IndexText(string json) =>
        json.Replace("\",\"", " ", StringComparison.Ordinal)
            .Replace("[\"", string.Empty, StringComparison.Ordinal)
            .Replace("\"]", string.Empty, StringComparison.Ordinal)
            .Replace("[]", string.Empty, StringComparison.Ordinal);
}
