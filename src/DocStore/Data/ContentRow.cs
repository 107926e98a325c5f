namespace DocStore.Data;

/// <summary>
/// The columns a document row and each of its version rows share, once for both entities (their values travel
/// as <see cref="Sql.StoredContent"/>; their column names are <see cref="Sql.ContentColumns.Names"/>).
/// </summary>
internal abstract class ContentRow
{
    public string Title { get; set; } = string.Empty;

    public string Type { get; set; } = string.Empty;

    public DocumentStatus Status { get; set; }

    public string Content { get; set; } = string.Empty;

    public string Format { get; set; } = string.Empty;

    public string? Language { get; set; }

    public string? SourcePath { get; set; }

    public string Tags { get; set; } = "[]";

    public string Metadata { get; set; } = "{}";

    public byte[] ContentHash { get; set; } = [];

    public long SizeBytes { get; set; }
}
