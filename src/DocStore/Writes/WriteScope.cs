using Microsoft.Data.Sqlite;

namespace DocStore.Writes;

/// <summary>What one write transaction collects on its way: audit rows to add, index changes to apply, changes to announce.</summary>
internal sealed class WriteScope
{
    public WriteScope(string actor, long now, SqliteTransaction transaction)
    {
        Actor = actor;
        Now = now;
        Transaction = transaction;
    }

    /// <summary>Who is writing.</summary>
    public string Actor { get; }

    /// <summary>The write's timestamp (UTC ticks), the same for every row it touches.</summary>
    public long Now { get; }

    /// <summary>The write's transaction, which every statement of the write runs in.</summary>
    public SqliteTransaction Transaction { get; }

    /// <summary>Documents changed, in order: announced after commit, and handed to the write observer before it.</summary>
    public List<DocumentChange> Changes { get; } = [];

    /// <summary>Successful audit rows to add before commit: operation, document and version.</summary>
    public List<(AuditOperation Operation, long DocumentId, int Version)> Audits { get; } = [];

    /// <summary>
    /// Full-text index changes, applied last in the transaction. FTS5 flushes its pending terms to a
    /// new segment whenever a later statement opens a savepoint on it, so index writes interleaved
    /// with other inserts cost a flush each (measured: a 1 KB create went from ~60 to ~280 us).
    /// </summary>
    public List<IndexChange> IndexChanges { get; } = [];

    public void Record(AuditOperation operation, DocumentChange change)
    {
        Changes.Add(change);
        Audits.Add((operation, change.Id, change.Version));
    }
}

/// <summary>One full-text index change: add a document's values, or remove the values it was indexed with.</summary>
/// <param name="Remove">Remove (true) or add (false).</param>
/// <param name="Trash">In the trash's index (soft-deleted documents) rather than the live one.</param>
/// <param name="Id">The document.</param>
/// <param name="Title">Its title.</param>
/// <param name="Content">Its content.</param>
/// <param name="Tags">Its tags as stored (a JSON array); indexed as words.</param>
internal readonly record struct IndexChange(bool Remove, bool Trash, long Id, string Title, string Content, string Tags);
