using Microsoft.Data.Sqlite;

namespace DocStore.Internal;

/// <summary>Connection strings and per-connection settings, in one place for every connection the store opens.</summary>
internal sealed class StoreConnections
{
    private readonly DocStoreOptions _options;

    public StoreConnections(DocStoreOptions options)
    {
        _options = options;
        var path = Path.GetFullPath(options.DatabasePath);
        var seconds = (int)Math.Ceiling(Math.Max(0, options.BusyTimeout.TotalSeconds));
        WriteConnectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            ForeignKeys = true,
            Pooling = false,
            DefaultTimeout = seconds,
        }.ToString();
        ReadConnectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWrite,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = seconds,
        }.ToString();
        FullPath = path;
    }

    /// <summary>The absolute path of the database file.</summary>
    public string FullPath { get; }

    /// <summary>For the single writer (creates the file).</summary>
    public string WriteConnectionString { get; }

    /// <summary>For readers (never creates the file).</summary>
    public string ReadConnectionString { get; }

    /// <summary>Opens the writer connection and applies the writer's pragmas.</summary>
    public SqliteConnection OpenWriter()
    {
        var connection = new SqliteConnection(WriteConnectionString);
        try
        {
            connection.Open();
            var synchronous = _options.Durability == DurabilityMode.Full ? "FULL" : "NORMAL";
            Execute(connection, $"PRAGMA busy_timeout = {(long)_options.BusyTimeout.TotalMilliseconds}; PRAGMA synchronous = {synchronous}; PRAGMA foreign_keys = ON; PRAGMA cache_size = -16384; PRAGMA temp_store = MEMORY;");
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    public static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
