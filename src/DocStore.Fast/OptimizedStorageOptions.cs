namespace DocStore.Fast;

/// <summary>Settings of an <see cref="OptimizedStorageSystem"/>: the store's own settings plus the fast path's. Checked when the store opens.</summary>
public class OptimizedStorageOptions : DocStoreOptions
{
    /// <summary>Serve reads from the fast path. Can be switched at run time with <see cref="OptimizedStorageSystem.FastPathEnabled"/>.</summary>
    public bool EnableFastPath { get; init; } = true;

    /// <summary>
    /// Documents kept in the L1 cache: 0 turns L1 off (every read goes to SQLite), otherwise 3 to 100 million. Default 10,000.
    /// Every document read from SQLite enters it; once full, BitFaster.Caching's LRU policy picks what leaves (see
    /// <see cref="FastPathStatistics.CacheEvictions"/>).
    /// </summary>
    public int CacheCapacity { get; init; } = 10_000;

    /// <summary>The most pooled read connections, 1 to 1,024; they are opened as concurrency needs them. Default 50.</summary>
    public int PoolSize { get; init; } = 50;

    /// <summary>How long a reader waits for a free connection when all are busy before failing: 1 ms to one hour. Default 30 s.</summary>
    public TimeSpan PoolWaitTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Count reads into <see cref="Document.AccessCount"/> and <see cref="Document.LastAccessedAt"/>, exactly. Default true.</summary>
    public bool EnableAccessTracking { get; init; } = true;

    /// <summary>How often counted reads are written to the file: 10 ms to one hour. Default 1 s.</summary>
    public TimeSpan TrackingFlushInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Identical list and search queries answered from memory until the next committed write: 0 turns it off. Default 1,000 results.</summary>
    public int ResultCacheEntries { get; init; } = 1_000;

    /// <inheritdoc />
    protected override void AddValidationErrors(List<string> errors)
    {
        base.AddValidationErrors(errors);
        if (CacheCapacity is 1 or 2)
        {
            errors.Add($"{nameof(CacheCapacity)}: {CacheCapacity} is out of range; use 0 to turn L1 off, or at least 3");
        }
        else
        {
            Range(errors, nameof(CacheCapacity), CacheCapacity, 0, 100_000_000);
        }

        Range(errors, nameof(PoolSize), PoolSize, 1, 1024);
        Range(errors, nameof(PoolWaitTimeout), PoolWaitTimeout, TimeSpan.FromMilliseconds(1), TimeSpan.FromHours(1));
        Range(errors, nameof(TrackingFlushInterval), TrackingFlushInterval, TimeSpan.FromMilliseconds(10), TimeSpan.FromHours(1));
        Range(errors, nameof(ResultCacheEntries), ResultCacheEntries, 0, 10_000_000);
    }
}
