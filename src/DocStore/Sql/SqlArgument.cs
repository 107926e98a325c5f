namespace DocStore.Sql;

/// <summary>A named parameter value for raw SQL built by <see cref="QuerySql"/>.</summary>
/// <param name="Name">The parameter name including its <c>$</c>.</param>
/// <param name="Value">The value to bind.</param>
internal readonly record struct SqlArgument(string Name, object Value);
