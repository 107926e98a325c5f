namespace DocStore.Data;

/// <summary>EF Core's row of <c>document_versions</c>: the full snapshot of a version that was replaced (the current one lives in <c>documents</c>).</summary>
internal sealed class DocumentVersionEntity
{
    public long Id { get; set; }

    public long DocumentId { get; set; }

    public DocumentEntity? Document { get; set; }

    public int Version { get; set; }

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

    public long CreatedAt { get; set; }

    public string Actor { get; set; } = string.Empty;
}
