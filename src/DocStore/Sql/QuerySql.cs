using DocStore.Internal;
using DocStore.Sqlite;

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

    /// <summary>Weights of title, content and tags in BM25 ranking: a hit in the title counts most (RelevanceTest measured 10, 30 and 100 for the title; 30 ranked known items better than 10 and about as well as 100).</summary>
    internal const string Bm25Weights = "30.0, 1.0, 5.0";

    /// <summary>Ranks a document whose whole title is the search text above every other hit (it is what was looked for).</summary>
    private const double ExactTitleBoost = 1e6;

    public static QueryText List(ListQuery query)
    {
        var args = new List<SqlArgument>();
        var conditions = ListConditions(query, args);
        var where = string.Join(" AND ", conditions);

        var direction = query.Descending ? "DESC" : "ASC";
        var key = ListOrderKey(query.OrderBy);

        // Most read first reads the counts' index, whose entries are ordered by (count, document id).
        var byReads = query.OrderBy == DocumentOrder.AccessCount;
        var from = byReads ? DocumentColumns.FromByReads : DocumentColumns.From;
        var tie = byReads ? "r.document_id" : "d.id";
        var page = $"SELECT {DocumentColumns.SelectList} FROM {from} WHERE {where} ORDER BY {key} {direction}, {tie} {direction} LIMIT $take OFFSET $skip";
        AddPaging(args, query);
        return new QueryText(page, ListTotal(query, conditions.Count, where), args);
    }

    /// <summary>
    /// A listing's total, on every engine. One whose only conditions are the status and the type is read from the kept
    /// counts (the engine's <c>document_counts</c> table), whose columns carry the same names, so the same conditions
    /// apply; any other filter adds a condition, and then the matching rows are counted.
    /// </summary>
    internal static string ListTotal(ListQuery query, int conditions, string where)
    {
        var byTypeAndStatus = conditions == (query.Type is null ? 1 : 2);
        return byTypeAndStatus
            ? $"SELECT coalesce(sum(d.documents), 0) FROM document_counts d WHERE {where}"
            : $"SELECT count(*) FROM documents d WHERE {where}";
    }

    /// <summary>
    /// A search: the total and one ranked page. The live index holds exactly the documents that are not
    /// deleted and the trash's index exactly the deleted ones, so a search with no other filter counts and
    /// ranks on its index alone; only filters on other columns join the matches to the documents. A document
    /// whose title key equals <paramref name="exactTitle"/> (the search text is its title) ranks first.
    /// </summary>
    public static QueryText Search(SearchQuery query, string match, string? exactTitle)
    {
        var fts = query.Status == DocumentStatus.Deleted ? "documents_trash_fts" : "documents_fts";
        var args = new List<SqlArgument> { new("$match", match) };
        var filters = new List<string>();
        if (query.Status is { } status && status != DocumentStatus.Deleted)
        {
            filters.Add("d.status = $status");
            args.Add(new("$status", (long)status));
        }

        AppendFilters(filters, query, args);
        var where = filters.Count == 0 ? string.Empty : " AND " + string.Join(" AND ", filters);
        var from = filters.Count == 0 ? fts : $"{fts} JOIN documents d ON d.id = {fts}.rowid";
        var matches = $"SELECT {fts}.rowid AS id, bm25({fts}, {Bm25Weights}) AS score FROM {from} WHERE {fts} MATCH $match{where}";
        var order = "score";
        if (exactTitle is not null)
        {
            order = $"score - CASE WHEN id IN (SELECT t.id FROM documents t WHERE t.title_key = $exact) THEN {ExactTitleBoost} ELSE 0 END";
            args.Add(new("$exact", exactTitle));
        }

        // Rank every match, then read the page's rows (CROSS JOIN keeps the ranked order). Snippets are built
        // afterwards, outside this statement: see Search/SnippetWorkspace.
        var page = $"SELECT {DocumentColumns.SelectList}, h.score "
            + $"FROM (SELECT id, score, {order} AS ranking FROM ({matches}) ORDER BY ranking, id LIMIT $take OFFSET $skip) h "
            + $"CROSS JOIN documents d ON d.id = h.id CROSS {DocumentColumns.ReadsJoin} ORDER BY h.ranking, h.id";
        var count = $"SELECT count(*) FROM {from} WHERE {fts} MATCH $match{where}";
        AddPaging(args, query);
        return new QueryText(page, count, args);
    }

    /// <summary>
    /// A listing's conditions on the documents table aliased <c>d</c> (its status, or not deleted; the filters; the
    /// keyset's id), with their parameters named after <paramref name="marker"/>: every engine's listing SQL uses them.
    /// </summary>
    internal static List<string> ListConditions(ListQuery query, List<SqlArgument> args, char marker = '$')
    {
        var conditions = new List<string>();
        if (query.Status is { } status)
        {
            conditions.Add($"d.status = {marker}status");
            args.Add(new(marker + "status", (int)status));
        }
        else
        {
            conditions.Add(NotDeleted);
        }

        AppendFilters(conditions, query, args, marker);
        if (query.AfterId is { } after)
        {
            conditions.Add(query.Descending ? $"d.id < {marker}after" : $"d.id > {marker}after");
            args.Add(new(marker + "after", after));
        }

        return conditions;
    }

    /// <summary>
    /// A listing's sort column on <c>d</c> (documents) and <c>r</c> (read counts), for every engine: titles under the
    /// collation named NOCASE, which each engine defines (SQLite's own; a case-insensitive ICU one on PostgreSQL).
    /// </summary>
    internal static string ListOrderKey(DocumentOrder order) => order switch
    {
        DocumentOrder.CreatedAt => "d.created_at",
        DocumentOrder.Title => "d.title COLLATE \"NOCASE\"",
        DocumentOrder.AccessCount => "r.access_count",
        DocumentOrder.Id => "d.id",
        _ => "d.updated_at",
    };

    /// <summary>The page's <c>take</c> and <c>skip</c> parameters, named after <paramref name="marker"/>.</summary>
    internal static void AddPaging(List<SqlArgument> args, DocumentQueryBase query, char marker = '$')
    {
        args.Add(new(marker + "take", (long)query.PageSize));
        args.Add(new(marker + "skip", (long)(query.Page - 1) * query.PageSize));
    }

    /// <summary>
    /// The conditions on columns of the documents table (aliased <c>d</c>) other than its status, with their parameters
    /// named after <paramref name="marker"/> (SQLite's <c>$</c>; <c>@</c> for an engine that wants that).
    /// </summary>
    internal static void AppendFilters(List<string> conditions, DocumentQueryBase query, List<SqlArgument> args, char marker = '$')
    {
        if (query.Type is { } type)
        {
            conditions.Add($"d.type = {marker}type");
            args.Add(new(marker + "type", type));
        }

        var tags = QueryGuard.NormalizedFilterTags(query.Tags);
        for (var i = 0; i < tags.Count; i++)
        {
            conditions.Add($"d.id IN (SELECT document_id FROM document_tags WHERE tag = {marker}tag{i})");
            args.Add(new($"{marker}tag{i}", tags[i]));
        }

        if (query.Metadata is { } metadata)
        {
            var i = 0;
            foreach (var filter in metadata)
            {
                ArgumentNullException.ThrowIfNull(filter, nameof(query.Metadata));
                conditions.Add($"json_extract(d.metadata, {marker}mk{i}) = json_extract({marker}mv{i}, '$')");
                args.Add(new($"{marker}mk{i}", filter.JsonPath));
                args.Add(new($"{marker}mv{i}", filter.JsonValue));
                i++;
            }
        }

        AppendRange(conditions, args, "d.created_at", marker + "cf", query.CreatedFrom, ">=");
        AppendRange(conditions, args, "d.created_at", marker + "ct", query.CreatedTo, "<");
        AppendRange(conditions, args, "d.updated_at", marker + "uf", query.UpdatedFrom, ">=");
        AppendRange(conditions, args, "d.updated_at", marker + "ut", query.UpdatedTo, "<");
    }

    private static void AppendRange(List<string> conditions, List<SqlArgument> args, string column, string name, DateTimeOffset? value, string op)
    {
        if (value is { } v)
        {
            conditions.Add($"{column} {op} {name}");
            args.Add(new(name, UtcTicks.From(v)));
        }
    }
}
