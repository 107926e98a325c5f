using System.Data.Common;

namespace DocStore.Sql;

/// <summary>
/// Runs the raw SQL that <see cref="QuerySql"/> builds. The fast path's pooled readers implement it on
/// prepared commands; <see cref="CommandExecutor"/> implements it on any open connection (the EF path's).
/// </summary>
internal interface IQueryExecutor
{
    /// <summary>Runs a <c>SELECT count(*)</c>.</summary>
    long Count(string sql, IReadOnlyList<SqlArgument> arguments);

    /// <summary>Maps every row.</summary>
    List<T> Read<T>(string sql, IReadOnlyList<SqlArgument> arguments, Func<DbDataReader, T> map);
}
