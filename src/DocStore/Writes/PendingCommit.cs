namespace DocStore.Writes;

/// <summary>What a write group's COMMIT hooks need (<see cref="CommitHooks"/>): the observer, the documents the group changed, its last audit row.</summary>
internal sealed class PendingCommit(IWriteObserver observer, IReadOnlyList<DocumentChange> changes, long lastAuditId)
{
    public IWriteObserver Observer { get; } = observer;

    public IReadOnlyList<DocumentChange> Changes { get; } = changes;

    public long LastAuditId { get; } = lastAuditId;

    /// <summary>Whether the caches were closed for this commit and wait to be reopened.</summary>
    public bool Closed { get; set; }
}
