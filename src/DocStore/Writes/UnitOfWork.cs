using DocStore.Data;

namespace DocStore.Writes;

/// <summary>
/// One write's work on the group's EF Core context: the entities it adds or changes go through the change
/// tracker and <see cref="Save"/>; what it collects on its way (changes to announce, audit rows to add, full-text
/// index changes to apply) is written by the pipeline when the write succeeded.
/// </summary>
internal sealed class UnitOfWork
{
    private readonly List<DocumentEntity> _created = [];

    public UnitOfWork(DocStoreDbContext db, string actor, long now)
    {
        Db = db;
        Actor = actor;
        Now = now;
    }

    /// <summary>The group's context, in the group's transaction (inside this write's savepoint when it shares the group).</summary>
    public DocStoreDbContext Db { get; }

    /// <summary>Who is writing.</summary>
    public string Actor { get; }

    /// <summary>The write's timestamp (UTC ticks), the same for every row it touches.</summary>
    public long Now { get; }

    /// <summary>Documents changed, in order: announced after commit, and handed to the write observer before it.</summary>
    public List<DocumentChange> Changes { get; } = [];

    /// <summary>Successful audit rows to add before commit: operation, document and version.</summary>
    public List<(AuditOperation Operation, long DocumentId, int Version)> Audits { get; } = [];

    /// <summary>
    /// Full-text index changes, applied last in the transaction. FTS5 flushes its pending terms to a
    /// new segment whenever a later statement opens a savepoint on it, so index writes interleaved
    /// with other inserts cost a flush each.
    /// </summary>
    public List<IndexChange> IndexChanges { get; } = [];

    /// <summary>Adds a new document's entity; it gets its id, its change and its index entry on the next <see cref="Save"/>.</summary>
    public void Add(DocumentEntity entity)
    {
        Db.Documents.Add(entity);
        _created.Add(entity);
    }

    /// <summary>Writes the tracked changes (inside the write's savepoint), then records the documents created since the last save.</summary>
    public void Save()
    {
        if (!Db.ChangeTracker.HasChanges())
        {
            return;
        }

        Db.SaveChanges();
        foreach (var entity in _created)
        {
            Record(AuditOperation.Create, new DocumentChange(entity.Id, 1, DocumentChangeKind.Created));
            IndexChanges.Add(new IndexChange(false, false, entity.Id, entity.Title, entity.Content, entity.Tags));
        }

        _created.Clear();
    }

    public void Record(AuditOperation operation, DocumentChange change)
    {
        Changes.Add(change);
        Audits.Add((operation, change.Id, change.Version));
    }
}
