namespace DocStore;

/// <summary>One page of a listing or search, with the total number of matches.</summary>
/// <typeparam name="T">The item type.</typeparam>
public sealed class PagedResult<T>
{
    /// <summary>Creates a page.</summary>
    /// <param name="items">The items of this page.</param>
    /// <param name="totalCount">How many items match in all; -1 when the query asked for no total (<see cref="ListQuery.IncludeTotal"/>).</param>
    /// <param name="page">The 1-based page number.</param>
    /// <param name="pageSize">The page size asked for.</param>
    public PagedResult(IReadOnlyList<T> items, long totalCount, int page, int pageSize)
    {
        Items = items;
        TotalCount = totalCount;
        Page = page;
        PageSize = pageSize;
    }

    /// <summary>The items of this page, in order.</summary>
    public IReadOnlyList<T> Items { get; }

    /// <summary>How many items match in all pages; -1 when the query asked for no total (<see cref="ListQuery.IncludeTotal"/>).</summary>
    public long TotalCount { get; }

    /// <summary>The 1-based page number.</summary>
    public int Page { get; }

    /// <summary>The page size asked for.</summary>
    public int PageSize { get; }

    /// <summary>How many pages the matches fill; -1 when the total was not counted.</summary>
    public long PageCount => TotalCount < 0 ? -1 : PageSize == 0 ? 0 : (TotalCount + PageSize - 1) / PageSize;
}
