namespace DocStore.Writes;

/// <summary>
/// Sees each write's changed documents around its COMMIT, so a cache can close the window in which the
/// database and the cache disagree: it stops serving and refilling those documents before COMMIT and
/// allows refills only after. Calls happen on the writer, under the write lock; they must be quick and
/// must not throw.
/// </summary>
internal interface IWriteObserver
{
    /// <summary>Inside the write's transaction, just before COMMIT.</summary>
    /// <param name="changes">Every document the write changes (never empty).</param>
    /// <param name="lastAuditId">The id of the last audit row the transaction wrote.</param>
    /// <param name="change">The engine's change number of this commit (<see cref="Engine.IStorageEngine.StampCommit"/>); 0 where it has none.</param>
    void BeforeCommit(IReadOnlyList<DocumentChange> changes, long lastAuditId, long change);

    /// <summary>After the COMMIT (or the rollback, when it failed) of a write <see cref="BeforeCommit"/> saw.</summary>
    /// <param name="changes">The same list.</param>
    /// <param name="committed">Whether the COMMIT succeeded.</param>
    void AfterCommit(IReadOnlyList<DocumentChange> changes, bool committed);
}
