namespace DocStore.Fast;

/// <summary>A snapshot of the fast path's counters (also published on the <c>DocStore</c> meter).</summary>
public sealed class FastPathStatistics
{
    /// <summary>L1 lookups that found the document.</summary>
    public required long CacheHits { get; init; }

    /// <summary>L1 lookups that went to SQLite.</summary>
    public required long CacheMisses { get; init; }

    /// <summary>Hits divided by lookups.</summary>
    public double CacheHitRatio => CacheHits + CacheMisses == 0 ? 0 : (double)CacheHits / (CacheHits + CacheMisses);

    /// <summary>Documents evicted from L1 to make room.</summary>
    public required long CacheEvictions { get; init; }

    /// <summary>Documents in L1 now.</summary>
    public required int CacheCount { get; init; }

    /// <summary>Reads served by the fast path (gets, lists, searches).</summary>
    public required long FastReads { get; init; }

    /// <summary>Reads served by EF Core because the fast path was off.</summary>
    public required long FallbackReads { get; init; }

    /// <summary>List and search results answered from the result cache.</summary>
    public required long ResultCacheHits { get; init; }

    /// <summary>Pooled read connections open now.</summary>
    public required int PoolConnections { get; init; }

    /// <summary>The pool's limit.</summary>
    public required int PoolSize { get; init; }

    /// <summary>Rents that found every connection busy and had to wait.</summary>
    public required long PoolWaits { get; init; }

    /// <summary>Times the caches caught up with commits they had not seen yet (another instance's, or this one's seen first by a reader), found through the WAL index's change counter.</summary>
    public required long CoherenceRefreshes { get; init; }

    /// <summary>Reads counted but not yet written to the file.</summary>
    public required long TrackingPending { get; init; }

    /// <summary>Counted reads written to the file.</summary>
    public required long TrackingFlushed { get; init; }

    /// <summary>Writes of counted reads that failed (their counts are kept and written by a later write).</summary>
    public required long TrackingFailedFlushes { get; init; }
}
