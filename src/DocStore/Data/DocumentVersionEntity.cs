namespace DocStore.Data;

/// <summary>EF Core's row of <c>document_versions</c>: the full snapshot of a version that was replaced (the current one lives in <c>documents</c>).</summary>
internal sealed class DocumentVersionEntity : ContentRow
{
    public long Id { get; set; }

    public long DocumentId { get; set; }

    public DocumentEntity? Document { get; set; }

    public int Version { get; set; }

    public long CreatedAt { get; set; }

    public string Actor { get; set; } = string.Empty;
}
