namespace DocStore.Writes;

/// <summary>What a write group's COMMIT hooks need (<see cref="CommitHooks"/>): the observer, the documents the group changed, its last audit row, its change number.</summary>
internal sealed class PendingCommit(IWriteObserver observer, IReadOnlyList<DocumentChange> changes, long lastAuditId, long change)
{
    public IWriteObserver Observer { get; } = observer;

    public IReadOnlyList<DocumentChange> Changes { get; } = changes;

    public long LastAuditId { get; } = lastAuditId;

    /// <summary>The engine's change number of the commit; 0 where it has none.</summary>
    public long Change { get; } = change;

    /// <summary>Whether the caches were closed for this commit and wait to be reopened.</summary>
    public bool Closed { get; set; }
}
