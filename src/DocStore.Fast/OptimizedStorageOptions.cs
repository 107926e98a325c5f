namespace DocStore.Fast;

/// <summary>Settings of an <see cref="OptimizedStorageSystem"/>: the store's own settings plus the fast path's.</summary>
public class OptimizedStorageOptions : DocStoreOptions
{
    /// <summary>Serve reads from the fast path. Can be switched at run time with <see cref="OptimizedStorageSystem.FastPathEnabled"/>.</summary>
    public bool EnableFastPath { get; init; } = true;

    /// <summary>Documents kept in the L1 cache. 0 turns L1 off (every read goes to SQLite). Default 10,000.</summary>
    public int CacheCapacity { get; init; } = 10_000;

    /// <summary>The most pooled read connections; they are opened as concurrency needs them. Default 50.</summary>
    public int PoolSize { get; init; } = 50;

    /// <summary>How long a reader waits for a free connection when all are busy before failing. Default 30 s.</summary>
    public TimeSpan PoolWaitTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Record reads into <see cref="Document.AccessCount"/> and <see cref="Document.LastAccessedAt"/>. Default true.</summary>
    public bool EnableAccessTracking { get; init; } = true;

    /// <summary>Reads the tracking buffer holds between drains before it drops new ones (24 bytes each). Default 262,144.</summary>
    public int TrackingBufferSize { get; init; } = 262_144;

    /// <summary>Distinct documents with pending reads that trigger an early write. Default 50,000.</summary>
    public int TrackingFlushBatch { get; init; } = 50_000;

    /// <summary>The longest time between writes of recorded reads. Default 1 s.</summary>
    public TimeSpan TrackingFlushInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>PRAGMA mmap_size of each read connection. Default 256 MiB.</summary>
    public long MmapSizeBytes { get; init; } = 256L * 1024 * 1024;

    /// <summary>SQLite page cache per read connection, in KiB. Default 16 MiB.</summary>
    public int PageCacheKiB { get; init; } = 16 * 1024;

    /// <summary>Identical list and search queries answered from memory until the next committed write. 0 turns it off. Default 1,000 results.</summary>
    public int ResultCacheEntries { get; init; } = 1_000;
}
