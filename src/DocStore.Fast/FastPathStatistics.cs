namespace DocStore.Fast;

/// <summary>A snapshot of the fast path's counters.</summary>
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

    /// <summary>Pooled read connections opened.</summary>
    public required int PoolConnections { get; init; }

    /// <summary>The pool's limit.</summary>
    public required int PoolSize { get; init; }

    /// <summary>Rents that found every connection busy.</summary>
    public required long PoolWaits { get; init; }

    /// <summary>Reads recorded by access tracking.</summary>
    public required long TrackingQueued { get; init; }

    /// <summary>Recorded reads written to the file.</summary>
    public required long TrackingFlushed { get; init; }

    /// <summary>Reads not recorded because the buffer was full.</summary>
    public required long TrackingDropped { get; init; }
}
