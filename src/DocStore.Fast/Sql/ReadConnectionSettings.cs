namespace DocStore.Fast.Sql;

/// <summary>How every pooled read connection is opened and tuned (L3: SQLite's own page cache and mmap).</summary>
/// <param name="ConnectionString">The read connection string (never creates the file; no Microsoft.Data.Sqlite pooling).</param>
/// <param name="MmapSizeBytes">PRAGMA mmap_size.</param>
/// <param name="PageCacheKiB">PRAGMA cache_size, in KiB (written as a negative number).</param>
/// <param name="Configure">Runs first on every new connection (keys it when the store is encrypted).</param>
internal sealed record ReadConnectionSettings(string ConnectionString, long MmapSizeBytes, int PageCacheKiB, Action<Microsoft.Data.Sqlite.SqliteConnection>? Configure = null);
