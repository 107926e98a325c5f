using Microsoft.Data.Sqlite;

namespace DocStore.Tests.Infrastructure;

/// <summary>A <see cref="LocalStorageSystem"/> on a real file in a temporary folder.</summary>
public sealed class StoreFixture : IAsyncDisposable
{
    private readonly TempDirectory _directory = new();

    public StoreFixture(Func<string, DocStoreOptions>? options = null)
    {
        Path = _directory.File("store.db");
        Options = options?.Invoke(Path) ?? new DocStoreOptions { DatabasePath = Path, ActorProvider = () => "tester" };
        Store = new LocalStorageSystem(Options);
    }

    public string Path { get; }

    public DocStoreOptions Options { get; }

    public LocalStorageSystem Store { get; private set; }

    public TempDirectory Directory => _directory;

    public async Task ReopenAsync()
    {
        await Store.DisposeAsync();
        Store = new LocalStorageSystem(Options);
    }

    /// <summary>Runs one scalar query on a separate raw connection, as an outside observer of the file.</summary>
    public object? Scalar(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={Path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    public long Count(string table, string where = "1=1") => (long)Scalar($"SELECT count(*) FROM {table} WHERE {where}")!;

    public string IntegrityCheck() => (string)Scalar("PRAGMA integrity_check")!;

    /// <summary>FTS5's own check: with rank 1 it compares the index with the documents table and throws on any difference.</summary>
    public void FtsIntegrityCheck() => FtsCheck(Path);

    public static void FtsCheck(string path)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "INSERT INTO documents_fts(documents_fts, rank) VALUES ('integrity-check', 1)";
        command.ExecuteNonQuery();
    }

    public async ValueTask DisposeAsync()
    {
        await Store.DisposeAsync();
        _directory.Dispose();
    }
}
