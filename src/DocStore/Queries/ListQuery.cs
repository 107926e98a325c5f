namespace DocStore;

/// <summary>A filtered, ordered, paged listing of documents.</summary>
public sealed class ListQuery : DocumentQueryBase
{
    /// <summary>The sort key; ties are broken by id in the same direction, so paging is stable.</summary>
    public DocumentOrder OrderBy { get; init; } = DocumentOrder.UpdatedAt;

    /// <summary>Sort descending (newest, highest, Z first). Default true.</summary>
    public bool Descending { get; init; } = true;
}
