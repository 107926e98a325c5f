namespace DocStore;

/// <summary>What kind of committed change a <see cref="DocumentChange"/> reports.</summary>
public enum DocumentChangeKind
{
    /// <summary>A new document.</summary>
    Created,

    /// <summary>An update or a restore of an earlier version.</summary>
    Updated,

    /// <summary>A soft delete (status Deleted).</summary>
    Deleted,

    /// <summary>A hard delete: the document no longer exists.</summary>
    Purged,
}

/// <summary>A committed change to one document, raised after (and only after) its transaction commits.</summary>
/// <param name="Id">The document id.</param>
/// <param name="Version">The document's version after the change (the last version for a purge).</param>
/// <param name="Kind">What happened.</param>
public readonly record struct DocumentChange(long Id, int Version, DocumentChangeKind Kind);

/// <summary>The event data of <see cref="IDocumentStore.DocumentChanged"/>: the changes of one committed write.</summary>
public sealed class DocumentChangedEventArgs : EventArgs
{
    /// <summary>Creates the event data.</summary>
    /// <param name="changes">The changes one transaction committed.</param>
    public DocumentChangedEventArgs(IReadOnlyList<DocumentChange> changes) => Changes = changes;

    /// <summary>The changes one transaction committed (one for a single write, many for a batch).</summary>
    public IReadOnlyList<DocumentChange> Changes { get; }
}
