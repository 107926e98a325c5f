using Npgsql;

namespace DocStore.Tests.Infrastructure;

/// <summary>
/// A fresh database on the throw-away PostgreSQL cluster that scripts/test.sh starts (its connection string is in
/// DOCSTORE_TEST_POSTGRES), dropped on dispose. Without that variable the test fails, saying how to run it.
/// </summary>
public sealed class PostgresDatabase : IAsyncDisposable
{
    private const string Variable = "DOCSTORE_TEST_POSTGRES";
    private readonly string _server;

    public PostgresDatabase()
    {
        _server = Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } server
            ? server
            : throw new InvalidOperationException($"{Variable} is not set: run the tests through scripts/test.sh, which starts a PostgreSQL cluster, or point it at one.");
        Name = "docstore_t_" + Guid.NewGuid().ToString("N");
        Admin($"CREATE DATABASE {Name}");
        ConnectionString = new NpgsqlConnectionStringBuilder(_server) { Database = Name }.ConnectionString;
    }

    public string Name { get; }

    public string ConnectionString { get; }

    public DocStoreOptions Options(Func<string>? actor = null) => new()
    {
        Engine = DocStoreEngine.PostgreSql,
        ConnectionString = ConnectionString,
        ActorProvider = actor,
    };

    public LocalStorageSystem Open() => new(Options());

    /// <summary>Runs SQL on this database, outside any store.</summary>
    public long Scalar(string sql)
    {
        using var connection = new NpgsqlConnection(ConnectionString);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        var value = command.ExecuteScalar();
        return value is null or DBNull ? 0 : Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture);
    }

    public long Count(string table, string? where = null) => Scalar($"SELECT count(*) FROM {table}" + (where is null ? string.Empty : " WHERE " + where));

    /// <summary>Whether the table exists yet (a store creates its schema when first opened).</summary>
    public bool Exists(string table) => Scalar($"SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablename = '{table}'") > 0;

    public ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        Admin($"DROP DATABASE IF EXISTS {Name} WITH (FORCE)");
        return ValueTask.CompletedTask;
    }

    private void Admin(string sql)
    {
        using var connection = new NpgsqlConnection(_server);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }
}
