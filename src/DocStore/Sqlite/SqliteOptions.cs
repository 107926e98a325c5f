namespace DocStore;

/// <summary>The SQLite engine's own tuning knobs (<see cref="DocStoreOptions.Sqlite"/>), apart from the options every engine shares.</summary>
public sealed class SqliteOptions
{
    /// <summary>
    /// PRAGMA mmap_size of each of the fast path's read connections, in bytes, 0 (off) or more. Default 256 MiB: with the
    /// read counts in their own narrow table, uncached and zipfian gets ran faster with it than without in the compare
    /// runs (PERFORMANCE.md, "mmap"). Set 0 where memory-mapped I/O is unwelcome (a network file system).
    /// </summary>
    public long MmapSizeBytes { get; init; } = 256L * 1024 * 1024;

    /// <summary>
    /// SQLite page cache per fast-path read connection, in KiB, 0 or more. Default 2,000 KiB (SQLite's own default). In WAL
    /// mode every commit (the once-a-second write of access counts included) empties each reader's page cache, so a
    /// larger one never stays warm: a connection then allocates a new buffer for each page it reads until the cache is
    /// full, where a small one soon reuses its buffers (16 MiB, the default before, made scans about half as fast).
    /// </summary>
    public int PageCacheKiB { get; init; } = 2000;

    /// <summary>
    /// How many pages the write-ahead log may hold before the writer copies them into the main file, after a commit
    /// (PRAGMA wal_autocheckpoint), 100 to 1,000,000. Default 10,000 (about 40 MiB with 4 KiB pages), not SQLite's 1,000:
    /// a checkpoint copies each page once however often it was written since the last one, and the pages every write
    /// touches (the index roots, the full-text index's structure, the counts) are written by every commit, so fewer,
    /// larger checkpoints make writes faster (PERFORMANCE.md, "Checkpoints").
    /// The log keeps its largest size on disk until the store closes or <see cref="IDocumentStore.CheckpointAsync"/> trims it.
    /// </summary>
    public int WalCheckpointPages { get; init; } = 10_000;

    /// <summary>
    /// How often the FTS5 index is merged in the background after writes (write transactions do no merging of their
    /// own): 100 ms to one hour, or zero to merge only in <see cref="IDocumentStore.OptimizeAsync"/> (FTS5 then still
    /// merges a level that reaches 16 segments inside a write). Default 1 s.
    /// </summary>
    public TimeSpan FullTextMergeInterval { get; init; } = TimeSpan.FromSeconds(1);
}
