using DocStore.Sql;

namespace DocStore.PostgreSql;

/// <summary>
/// A listing's SQL on PostgreSQL for the fast path, in the order and with the filters of the plain path's LINQ (the
/// equivalence tests hold the two together): title order under the schema's case-insensitive collation, the id as
/// the tie-breaker, the total as on SQLite (kept counts where they answer it).
/// </summary>
internal static class PostgreSqlList
{
    public static QueryText Build(ListQuery query)
    {
        var args = new List<SqlArgument>();
        var conditions = QuerySql.ListConditions(query, args, '@');
        var where = string.Join(" AND ", conditions);
        var direction = query.Descending ? "DESC" : "ASC";
        var key = QuerySql.ListOrderKey(query.OrderBy);
        var page = $"SELECT {DocumentColumns.SelectList} FROM {DocumentColumns.From} WHERE {where} ORDER BY {key} {direction}, d.id {direction} LIMIT @take OFFSET @skip";
        QuerySql.AddPaging(args, query, '@');
        return new QueryText(page, QuerySql.ListTotal(query, conditions.Count, where), args);
    }
}
