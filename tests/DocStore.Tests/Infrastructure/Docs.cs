namespace DocStore.Tests.Infrastructure;

/// <summary>Helpers that make valid inputs, and deterministic random ones.</summary>
public static class Docs
{
    public static NewDocument New(string title = "A title", string content = "Some content about sqlite storage.", string type = "note", IEnumerable<string>? tags = null, string? metadata = null) => new()
    {
        Title = title,
        Type = type,
        Content = content,
        Tags = tags,
        Metadata = metadata,
    };

    private static readonly string[] Words =
    [
        "alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliet", "kilo", "lima",
        "mike", "november", "oscar", "papa", "quebec", "romeo", "sierra", "tango", "uniform", "victor", "whiskey",
        "xray", "yankee", "zulu", "sqlite", "index", "cache", "query", "document", "version", "search", "storage",
    ];

    public static readonly string[] Types = ["api", "tutorial", "note", "guide"];

    public static readonly string[] TagPool = ["red", "green", "blue", "cyan", "black", "white"];

    public static NewDocument Random(Random random)
    {
        var words = Enumerable.Range(0, random.Next(5, 40)).Select(_ => Words[random.Next(Words.Length)]);
        var tags = TagPool.Where(_ => random.Next(3) == 0).ToArray();
        var status = (DocumentStatus)random.Next(3);
        return new NewDocument
        {
            Title = Words[random.Next(Words.Length)] + " " + Words[random.Next(Words.Length)] + " " + random.Next(1000),
            Type = Types[random.Next(Types.Length)],
            Content = string.Join(' ', words),
            Status = status,
            Tags = tags,
            Metadata = $"{{\"team\":\"{(random.Next(2) == 0 ? "core" : "docs")}\",\"priority\":{random.Next(3)},\"public\":{(random.Next(2) == 0 ? "true" : "false")}}}",
            Language = random.Next(2) == 0 ? "en" : null,
        };
    }

    public static string RandomWord(Random random) => Words[random.Next(Words.Length)];
}
