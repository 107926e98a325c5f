namespace DocStore.Data;

/// <summary>EF Core's row of <c>documents</c> (with its read counts, split into <c>document_reads</c>). Times are UTC ticks so SQL can compare and order them.</summary>
internal sealed class DocumentEntity : ContentRow
{
    public long Id { get; set; }

    public byte[] Uuid { get; set; } = [];

    public int Version { get; set; }

    public long CreatedAt { get; set; }

    public long UpdatedAt { get; set; }

    public string UpdatedBy { get; set; } = string.Empty;

    /// <summary>The title's search key (Search/TitleKey), written with every version; reads never need it.</summary>
    public string TitleKey { get; set; } = string.Empty;

    public long? LastAccessedAt { get; set; }

    public long AccessCount { get; set; }

    public List<DocumentTagEntity> TagRows { get; set; } = [];
}
