using Microsoft.Data.Sqlite;

namespace DocStore.Fast.Sqlite;

/// <summary>How every pooled read connection is opened and tuned (L3: SQLite's own page cache and mmap).</summary>
/// <param name="ConnectionString">The read connection string (never creates the file; no Microsoft.Data.Sqlite pooling).</param>
/// <param name="MmapSizeBytes">PRAGMA mmap_size.</param>
/// <param name="PageCacheKiB">PRAGMA cache_size, in KiB (written as a negative number).</param>
/// <param name="Configure">Runs first on every new connection (keys it when the store is encrypted).</param>
internal sealed record ReadConnectionSettings(string ConnectionString, long MmapSizeBytes, int PageCacheKiB, Action<SqliteConnection>? Configure = null)
{
    /// <summary>The settings of the fast path's readers on <paramref name="engine"/>'s file: its read connection string without Microsoft.Data.Sqlite's pooling (the fast path pools them itself), keyed as its other connections are.</summary>
    public static ReadConnectionSettings For(DocStore.Engine.IStorageEngine engine, OptimizedStorageOptions options)
    {
        var connections = ((DocStore.Sqlite.SqliteEngine)engine).Connections;
        var connectionString = new SqliteConnectionStringBuilder(connections.ReadConnectionString) { Pooling = false }.ToString();
        return new ReadConnectionSettings(connectionString, options.Sqlite.MmapSizeBytes, options.Sqlite.PageCacheKiB, connections.Configure);
    }
}
