namespace DocStore.Sql;

/// <summary>The SQL of one page query, its count query, and the parameters both use.</summary>
/// <param name="PageSql">Selects one page (document columns first).</param>
/// <param name="CountSql">Counts every match.</param>
/// <param name="Arguments">The parameters; the count query ignores the paging ones.</param>
internal sealed record QueryText(string PageSql, string CountSql, IReadOnlyList<SqlArgument> Arguments);
