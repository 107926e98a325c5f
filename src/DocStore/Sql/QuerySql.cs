using System.Text;
using DocStore.Internal;
using DocStore.Schema;

namespace DocStore.Sql;

/// <summary>
/// Builds the raw SQL of list and search queries. The search of both paths and the fast path's list
/// use it, so they cannot drift apart; the EF path's list is written in LINQ and tests compare the two.
/// Only allow-listed identifiers reach the text; every value is a parameter.
/// </summary>
internal static class QuerySql
{
    /// <summary>The condition "not deleted" on the documents table aliased <c>d</c>: the one spelling of it in raw SQL.</summary>
    public static readonly string NotDeleted = $"d.status <> {StoreSchema.DeletedStatus}";

    /// <summary>Weights of title, content and tags in BM25 ranking: a hit in the title counts most.</summary>
    private const string Bm25 = "bm25(documents_fts, 10.0, 1.0, 5.0)";

    public static QueryText List(ListQuery query)
    {
        var args = new List<SqlArgument>();
        var where = new StringBuilder();
        AppendFilters(where, query, args);

        var direction = query.Descending ? "DESC" : "ASC";
        var key = query.OrderBy switch
        {
            DocumentOrder.CreatedAt => "d.created_at",
            DocumentOrder.Title => "d.title COLLATE NOCASE",
            DocumentOrder.AccessCount => "d.access_count",
            _ => "d.updated_at",
        };

        var page = $"SELECT {DocumentColumns.SelectList} FROM documents d WHERE {where} ORDER BY {key} {direction}, d.id {direction} LIMIT $take OFFSET $skip";
        var count = $"SELECT count(*) FROM documents d WHERE {where}";
        AddPaging(args, query);
        return new QueryText(page, count, args);
    }

    public static QueryText Search(SearchQuery query, string match)
    {
        var args = new List<SqlArgument> { new("$match", match) };
        var where = new StringBuilder("documents_fts MATCH $match AND ");
        AppendFilters(where, query, args);

        // Rank every match, then read the page's rows (CROSS JOIN keeps the ranked order). Snippets are built
        // afterwards, outside this statement: see Search/SnippetWorkspace.
        const string From = "FROM documents_fts JOIN documents d ON d.id = documents_fts.rowid";
        var page = $"SELECT {DocumentColumns.SelectList}, h.score "
            + $"FROM (SELECT documents_fts.rowid AS id, {Bm25} AS score {From} WHERE {where} ORDER BY score, d.id LIMIT $take OFFSET $skip) h "
            + "CROSS JOIN documents d ON d.id = h.id ORDER BY h.score, h.id";
        var count = $"SELECT count(*) {From} WHERE {where}";
        AddPaging(args, query);
        return new QueryText(page, count, args);
    }

    private static void AddPaging(List<SqlArgument> args, DocumentQueryBase query)
    {
        args.Add(new("$take", (long)query.PageSize));
        args.Add(new("$skip", (long)(query.Page - 1) * query.PageSize));
    }

    private static void AppendFilters(StringBuilder where, DocumentQueryBase query, List<SqlArgument> args)
    {
        if (query.Status is { } status)
        {
            where.Append("d.status = $status");
            args.Add(new("$status", (long)status));
        }
        else
        {
            where.Append(NotDeleted);
        }

        if (query.Type is { } type)
        {
            where.Append(" AND d.type = $type");
            args.Add(new("$type", type));
        }

        var tags = QueryGuard.NormalizedFilterTags(query.Tags);
        for (var i = 0; i < tags.Count; i++)
        {
            where.Append(" AND d.id IN (SELECT document_id FROM document_tags WHERE tag = $tag").Append(i).Append(')');
            args.Add(new("$tag" + i, tags[i]));
        }

        if (query.Metadata is { } metadata)
        {
            var i = 0;
            foreach (var filter in metadata)
            {
                ArgumentNullException.ThrowIfNull(filter, nameof(query.Metadata));
                where.Append(" AND json_extract(d.metadata, $mk").Append(i).Append(") = json_extract($mv").Append(i).Append(", '$')");
                args.Add(new("$mk" + i, filter.JsonPath));
                args.Add(new("$mv" + i, filter.JsonValue));
                i++;
            }
        }

        AppendRange(where, args, "d.created_at", "$cf", query.CreatedFrom, ">=");
        AppendRange(where, args, "d.created_at", "$ct", query.CreatedTo, "<");
        AppendRange(where, args, "d.updated_at", "$uf", query.UpdatedFrom, ">=");
        AppendRange(where, args, "d.updated_at", "$ut", query.UpdatedTo, "<");
    }

    private static void AppendRange(StringBuilder where, List<SqlArgument> args, string column, string name, DateTimeOffset? value, string op)
    {
        if (value is { } v)
        {
            where.Append(" AND ").Append(column).Append(' ').Append(op).Append(' ').Append(name);
            args.Add(new(name, UtcTicks.From(v)));
        }
    }
}
