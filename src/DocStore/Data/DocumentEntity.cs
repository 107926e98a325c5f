namespace DocStore.Data;

/// <summary>EF Core's row of <c>documents</c>. Times are UTC ticks so SQL can compare and order them.</summary>
internal sealed class DocumentEntity
{
    public long Id { get; set; }

    public string Uuid { get; set; } = string.Empty;

    public string Title { get; set; } = string.Empty;

    public string Type { get; set; } = string.Empty;

    public DocumentStatus Status { get; set; }

    public string Content { get; set; } = string.Empty;

    public string Format { get; set; } = string.Empty;

    public string? Language { get; set; }

    public string? SourcePath { get; set; }

    public string Tags { get; set; } = "[]";

    public string Metadata { get; set; } = "{}";

    public string ContentHash { get; set; } = string.Empty;

    public long SizeBytes { get; set; }

    public int Version { get; set; }

    public long CreatedAt { get; set; }

    public long UpdatedAt { get; set; }

    public string UpdatedBy { get; set; } = string.Empty;

    public long? LastAccessedAt { get; set; }

    public long AccessCount { get; set; }

    public List<DocumentTagEntity> TagRows { get; set; } = [];
}
