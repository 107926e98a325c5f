namespace DocStore;

/// <summary>The PostgreSQL engine's own settings (<see cref="DocStoreOptions.PostgreSql"/>): how the fast path's caches stay coherent across instances.</summary>
public sealed class PostgreSqlOptions
{
    /// <summary>
    /// How old the last confirmation that an instance's caches are current (a change notification, or a heartbeat read
    /// of the change sequence) may be while they serve hits: 50 ms to one minute. A read that starts this long after
    /// another instance's write returned sees it, even when notifications fail. Default 1 s.
    /// </summary>
    public TimeSpan MaxStaleness { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Reads the change sequence's head on every call, cache hits included, so that a read that starts after any
    /// instance's write returned sees it (the same guarantee as within one instance), at the cost of one round trip per
    /// call. Default false.
    /// </summary>
    public bool Strict { get; init; }
}
