namespace DocStore;

/// <summary>A filtered, ordered, paged listing of documents.</summary>
public sealed class ListQuery : DocumentQueryBase
{
    /// <summary>The sort key; ties are broken by id in the same direction, so paging is stable.</summary>
    public DocumentOrder OrderBy { get; init; } = DocumentOrder.UpdatedAt;

    /// <summary>Sort descending (newest, highest, Z first). Default true.</summary>
    public bool Descending { get; init; } = true;

    /// <summary>
    /// Keyset paging: only documents after this id in the listing's direction (greater ids ascending, smaller
    /// descending). Needs <see cref="OrderBy"/> = <see cref="DocumentOrder.Id"/> and <see cref="DocumentQueryBase.Page"/> = 1;
    /// pass the last id of one page to get the next, so reading a whole store costs the same per page however
    /// far it has gone (no OFFSET) and skips nothing that existed when the walk started. The total counts the
    /// documents after this id.
    /// </summary>
    public long? AfterId { get; init; }
}
