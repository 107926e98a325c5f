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
    /// far it has gone (no OFFSET) and skips nothing that existed when the walk started. The total, when
    /// <see cref="IncludeTotal"/> asks for it, counts the documents after this id (set it to false in a walk:
    /// counting the rest on every page makes a walk of N documents count about N squared over twice the page size rows).
    /// </summary>
    public long? AfterId { get; init; }

    /// <summary>
    /// Count the matches for <see cref="PagedResult{T}.TotalCount"/>. Default true. False skips the count (a
    /// scan of every match) and gives a total of -1: what a keyset walk wants, since each page needs only its items.
    /// </summary>
    public bool IncludeTotal { get; init; } = true;
}
