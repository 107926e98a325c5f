using System.Runtime.CompilerServices;

namespace DocStore;

/// <summary>Every live document of a store, page by page, in id order, by keyset paging (<see cref="ListQuery.AfterId"/>).</summary>
public static class DocumentWalk
{
    /// <summary>
    /// The store's live (not deleted) documents in pages of <paramref name="pageSize"/>, in id order. Each page
    /// costs the same however far the walk has gone (no OFFSET, no count of what is left), and writes between pages neither skip nor
    /// repeat a document that existed when the walk started.
    /// </summary>
    /// <param name="store">The store to read.</param>
    /// <param name="pageSize">Documents per page (1 to <see cref="DocumentQueryBase.MaxPageSize"/>).</param>
    /// <param name="cancellationToken">Cancels between pages.</param>
    /// <returns>The pages; none for an empty store.</returns>
    public static async IAsyncEnumerable<IReadOnlyList<Document>> PagesAsync(IDocumentStore store, int pageSize = 500, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        long? after = null;
        while (true)
        {
            var page = await store.ListAsync(new ListQuery { OrderBy = DocumentOrder.Id, Descending = false, AfterId = after, PageSize = pageSize, IncludeTotal = false }, cancellationToken).ConfigureAwait(false);
            if (page.Items.Count > 0)
            {
                yield return page.Items;
            }

            if (page.Items.Count < pageSize)
            {
                yield break;
            }

            after = page.Items[^1].Id;
        }
    }
}
