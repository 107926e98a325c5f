using System.Data.Common;
using DocStore.Sql;
using DocStore.Sqlite;

namespace DocStore.Search;

/// <summary>
/// Runs a search on either read path: the total and the ranked page on the store's connection (the caller
/// runs both in one read transaction, so they come from one snapshot), then the page's snippets in a
/// <see cref="SnippetWorkspace"/>.
/// </summary>
internal static class SearchRunner
{
    public static PagedResult<SearchHit> Run(IQueryExecutor db, SnippetWorkspace workspace, SearchQuery query, (QueryText Sql, string SnippetMatch) search, CancellationToken cancellationToken)
    {
        var sql = search.Sql;
        var total = db.Count(sql.CountSql, sql.Arguments);
        if (total == 0)
        {
            return new PagedResult<SearchHit>([], 0, query.Page, query.PageSize);
        }

        var rows = db.Read(sql.PageSql, sql.Arguments, ReadRow);
        var documents = rows.ConvertAll(r => r.Document);
        var snippets = workspace.Build(documents, search.SnippetMatch, query.HighlightStart ?? string.Empty, query.HighlightEnd ?? string.Empty, cancellationToken);
        var hits = new SearchHit[rows.Count];
        for (var i = 0; i < rows.Count; i++)
        {
            hits[i] = new SearchHit(rows[i].Document, snippets[i], rows[i].Score);
        }

        return new PagedResult<SearchHit>(hits, total, query.Page, query.PageSize);
    }

    private static (Document Document, double Score) ReadRow(DbDataReader reader) =>
        (DocumentColumns.Read(reader), reader.GetDouble(DocumentColumns.Count));
}
