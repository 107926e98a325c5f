namespace DocStore.Data;

/// <summary>EF Core's row of <c>document_tags</c>: one (tag, document) pair, indexed for tag filters.</summary>
internal sealed class DocumentTagEntity
{
    public string Tag { get; set; } = string.Empty;

    public long DocumentId { get; set; }

    public DocumentEntity? Document { get; set; }
}
