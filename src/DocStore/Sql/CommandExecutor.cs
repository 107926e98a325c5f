using Microsoft.Data.Sqlite;

namespace DocStore.Sql;

/// <summary>Runs raw queries on an open connection with a new command each time (the plain path's way).</summary>
internal sealed class CommandExecutor : IQueryExecutor
{
    private readonly SqliteConnection _connection;
    private readonly SqliteTransaction? _transaction;

    public CommandExecutor(SqliteConnection connection, SqliteTransaction? transaction)
    {
        _connection = connection;
        _transaction = transaction;
    }

    public long Count(string sql, IReadOnlyList<SqlArgument> arguments)
    {
        using var command = Create(sql, arguments);
        return (long)command.ExecuteScalar()!;
    }

    public List<T> Read<T>(string sql, IReadOnlyList<SqlArgument> arguments, Func<SqliteDataReader, T> map)
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

    private SqliteCommand Create(string sql, IReadOnlyList<SqlArgument> arguments)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = _transaction;
        foreach (var argument in arguments)
        {
            command.Parameters.AddWithValue(argument.Name, argument.Value);
        }

        return command;
    }
}
