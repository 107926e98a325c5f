using System.Collections.ObjectModel;
using System.Text;
using System.Text.Json;

namespace DocStore.Internal;

/// <summary>Tags as stored on the document row: a JSON array of strings (the tag table serves filters).</summary>
internal static class StoredTags
{
    public static readonly IReadOnlyList<string> Empty = new ReadOnlyCollection<string>([]);

    public static string Serialize(IReadOnlyList<string> tags) =>
        tags.Count == 0 ? "[]" : JsonSerializer.Serialize(tags);

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
}
