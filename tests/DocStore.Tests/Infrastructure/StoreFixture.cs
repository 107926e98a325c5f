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
    public object? Scalar(string sql) => SqliteProbe.Scalar(Path, sql);

    public long Count(string table, string where = "1=1") => (long)Scalar($"SELECT count(*) FROM {table} WHERE {where}")!;

    public string IntegrityCheck() => SqliteProbe.IntegrityCheck(Path);

    /// <summary>FTS5's own check: with rank 1 it compares the index with the documents table and throws on any difference.</summary>
    public void FtsIntegrityCheck() => SqliteProbe.FtsCheck(Path);

    public async ValueTask DisposeAsync()
    {
        await Store.DisposeAsync();
        _directory.Dispose();
    }
}
