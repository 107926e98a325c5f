using System.Data.Common;

namespace DocStore.Sql;

/// <summary>Runs raw queries on an open connection with a new command each time (the plain path's way).</summary>
internal sealed class CommandExecutor : IQueryExecutor
{
    private readonly DbConnection _connection;
    private readonly DbTransaction? _transaction;

    public CommandExecutor(DbConnection connection, DbTransaction? transaction)
    {
        _connection = connection;
        _transaction = transaction;
    }

    public long Count(string sql, IReadOnlyList<SqlArgument> arguments)
    {
        using var command = Create(sql, arguments);
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public List<T> Read<T>(string sql, IReadOnlyList<SqlArgument> arguments, Func<DbDataReader, T> map)
    {
        using var command = Create(sql, arguments);
        using var reader = command.ExecuteReader();
        var rows = new List<T>();
        while (reader.Read())
        {
            rows.Add(map(reader));
        }

        return rows;
    }

    private DbCommand Create(string sql, IReadOnlyList<SqlArgument> arguments)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = _transaction;
        foreach (var argument in arguments)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = argument.Name;
            parameter.Value = argument.Value;
            command.Parameters.Add(parameter);
        }

        return command;
    }
}
