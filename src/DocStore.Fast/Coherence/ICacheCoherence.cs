namespace DocStore.Fast.Coherence;

/// <summary>
/// Keeps one instance's caches coherent with the commits of every instance on the same store. Each engine has its
/// own: SQLite's watches the WAL index (<see cref="InstanceCoherence"/>); PostgreSQL's listens to a change feed.
/// </summary>
internal interface ICacheCoherence : IDisposable
{
    /// <summary>Whether the caches may serve now (nothing committed unseen, or, where commits are announced, a recent enough confirmation). The hit path's only check.</summary>
    bool IsCurrent { get; }

    /// <summary>How many times the caches caught up with commits they had not seen.</summary>
    long Refreshes { get; }

    /// <summary>Brings the caches up to date with every commit so far; true when they are known current as of this call (a cached read may then be served).</summary>
    ValueTask<bool> RefreshAsync(CancellationToken cancellationToken);

    /// <summary>After a database read whose snapshot had seen the engine's change number <paramref name="head"/>: catches up first when that is ahead of the caches.</summary>
    ValueTask SeenAsync(long head, CancellationToken cancellationToken);

    /// <summary>On the writer, inside this instance's write transaction, just before COMMIT.</summary>
    void BeforeOwnCommit();

    /// <summary>After this instance's own COMMIT (or its failure), whose caches the writer already closed and reopened.</summary>
    /// <param name="committed">Whether the COMMIT succeeded.</param>
    /// <param name="lastAuditId">The last audit row the commit wrote.</param>
    /// <param name="change">The engine's change number of the commit; 0 where the engine has none.</param>
    void AfterOwnCommit(bool committed, long lastAuditId, long change);

    /// <summary>Catches up at once when nobody else is doing so and it costs no wait (after a commit outside the write pipeline, such as read counts).</summary>
    void TryRefreshNow();
}
