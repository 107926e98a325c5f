using System.Text.Json;

namespace DocStore.Bench.Systems.Peers;

/// <summary>
/// A document as the peers store it: one plain row (tags as a JSON array, times as UTC ticks), the same fields a
/// DocStore document has, and nothing beside it (no history, no audit, no full-text index, no read counts).
/// </summary>
public sealed class PeerRow
{
    public long Id { get; set; }

    public string Uuid { get; set; } = "";

    public string Title { get; set; } = "";

    public string Type { get; set; } = "";

    public int Status { get; set; }

    public string Content { get; set; } = "";

    public string Format { get; set; } = "";

    public string? Language { get; set; }

    public string? SourcePath { get; set; }

    public string Tags { get; set; } = "[]";

    public string Metadata { get; set; } = "{}";

    public long CreatedAt { get; set; }

    public long UpdatedAt { get; set; }

    public int Version { get; set; }

    public static PeerRow From(Document d)
    {
        var row = Fields(d.Title, d.Type, d.Status, d.Content, d.Format, d.Language, d.SourcePath, d.Tags, d.Metadata);
        row.Id = d.Id;
        row.Uuid = d.Uuid.ToString();
        row.CreatedAt = d.CreatedAt.UtcTicks;
        row.UpdatedAt = d.UpdatedAt.UtcTicks;
        row.Version = d.Version;
        return row;
    }

    /// <summary>A new row for <paramref name="d"/>; the peer assigns its id.</summary>
    public static PeerRow New(NewDocument d)
    {
        var row = Fields(d.Title, d.Type, d.Status, d.Content, d.Format, d.Language, d.SourcePath, d.Tags ?? [], d.Metadata ?? "{}");
        row.Uuid = Guid.CreateVersion7().ToString();
        row.CreatedAt = row.UpdatedAt = DateTime.UtcNow.Ticks;
        row.Version = 1;
        return row;
    }

    /// <summary>What every peer's update does to a row: the update's title and metadata, a new time and version.</summary>
    public void Apply(DocumentUpdate update)
    {
        Title = update.Title ?? Title;
        Metadata = update.Metadata ?? Metadata;
        UpdatedAt = DateTime.UtcNow.Ticks;
        Version++;
    }

    /// <summary>The workloads every peer runs: all but search (no full-text index) and get-many.</summary>
    public static bool Supports(string workload) => workload is not ("search-selective" or "search-common" or "get-many-10");

    public Document ToDocument() => new()
    {
        Id = Id,
        Uuid = Guid.Parse(Uuid),
        Title = Title,
        Type = Type,
        Status = (DocumentStatus)Status,
        Content = Content,
        Format = Format,
        Language = Language,
        SourcePath = SourcePath,
        Tags = JsonSerializer.Deserialize<List<string>>(Tags) ?? [],
        Metadata = Metadata,
        ContentHash = "",
        SizeBytes = Content.Length,
        Version = Version,
        CreatedAt = new DateTimeOffset(CreatedAt, TimeSpan.Zero),
        UpdatedAt = new DateTimeOffset(UpdatedAt, TimeSpan.Zero),
    };

    private static PeerRow Fields(string title, string type, DocumentStatus status, string content, string format, string? language, string? sourcePath, IEnumerable<string> tags, string metadata) => new()
    {
        Title = title,
        Type = type,
        Status = (int)status,
        Content = content,
        Format = format,
        Language = language,
        SourcePath = sourcePath,
        Tags = JsonSerializer.Serialize(tags),
        Metadata = metadata,
    };
}
