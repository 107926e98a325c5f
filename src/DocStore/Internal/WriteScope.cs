namespace DocStore.Internal;

/// <summary>What one write transaction collects on its way: audit rows to add and changes to announce after commit.</summary>
internal sealed class WriteScope
{
    public WriteScope(string actor, long now)
    {
        Actor = actor;
        Now = now;
    }

    /// <summary>Who is writing.</summary>
    public string Actor { get; }

    /// <summary>The write's timestamp (UTC ticks), the same for every row it touches.</summary>
    public long Now { get; }

    /// <summary>Changes to raise after commit.</summary>
    public List<DocumentChange> Changes { get; } = [];

    /// <summary>Successful audit rows to add before commit: operation, document and version.</summary>
    public List<(AuditOperation Operation, long DocumentId, int Version)> Audits { get; } = [];

    public void Record(AuditOperation operation, DocumentChange change)
    {
        Changes.Add(change);
        Audits.Add((operation, change.Id, change.Version));
    }
}
