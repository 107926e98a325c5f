using DocStore.Sql;
using Microsoft.Data.Sqlite;

namespace DocStore.Search;

/// <summary>
/// Runs a search on either read path: the total, the ranked page with each hit's highlighted columns, and
/// the snippets built from them (<see cref="SnippetBuilder"/>). The caller runs it inside one read
/// transaction, so the page and its total come from one snapshot.
/// </summary>
internal static class SearchRunner
{
    public static PagedResult<SearchHit> Run(IQueryExecutor db, SearchQuery query, QueryText sql)
    {
        var total = db.Count(sql.CountSql, sql.Arguments);
        if (total == 0)
        {
            return new PagedResult<SearchHit>([], 0, query.Page, query.PageSize);
        }

        var rows = db.Read(sql.PageSql, sql.Arguments, ReadRow);
        var hits = new SearchHit[rows.Count];
        for (var i = 0; i < rows.Count; i++)
        {
            var (document, highlighted, score) = rows[i];
            hits[i] = new SearchHit(document, Snippet(db, sql, document, highlighted, query), score);
        }

        return new PagedResult<SearchHit>(hits, total, query.Page, query.PageSize);
    }

    private static (Document Document, string?[] Highlighted, double Score) ReadRow(SqliteDataReader reader)
    {
        var first = DocumentColumns.Count;
        var highlighted = new string?[QuerySql.HighlightedColumns];
        for (var c = 0; c < highlighted.Length; c++)
        {
            highlighted[c] = reader.IsDBNull(first + c) ? null : reader.GetString(first + c);
        }

        return (DocumentColumns.Read(reader), highlighted, reader.GetDouble(first + highlighted.Length));
    }

    private static string Snippet(IQueryExecutor db, QueryText sql, Document document, string?[] highlighted, SearchQuery query)
    {
        if (!HoldsMarker(document.Title) && !HoldsMarker(document.Content))
        {
            return SnippetBuilder.Build(highlighted, SnippetBuilder.Open, SnippetBuilder.Close, query.HighlightStart, query.HighlightEnd);
        }

        // Rare: the text itself holds the default markers, so highlight this row again with markers it lacks.
        if (SnippetBuilder.FreeMarkers(document.Title + document.Content) is not { } free)
        {
            return SnippetBuilder.Build([document.Content], SnippetBuilder.Open, SnippetBuilder.Close, string.Empty, string.Empty);
        }

        var again = db.Read(
            QuerySql.HighlightOne,
            [sql.Arguments[0], new SqlArgument("$id", document.Id), new SqlArgument("$ho", free.Open.ToString()), new SqlArgument("$hc", free.Close.ToString())],
            r => Enumerable.Range(0, QuerySql.HighlightedColumns).Select(c => r.IsDBNull(c) ? null : r.GetString(c)).ToArray());
        return again.Count == 0
            ? string.Empty
            : SnippetBuilder.Build(again[0], free.Open, free.Close, query.HighlightStart, query.HighlightEnd);
    }

    private static bool HoldsMarker(string text) => text.AsSpan().IndexOfAny(SnippetBuilder.Open, SnippetBuilder.Close) >= 0;
}
