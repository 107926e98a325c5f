using System.Diagnostics;
using DocStore.Data;
using Microsoft.EntityFrameworkCore;

namespace DocStore.Writes;

/// <summary>
/// One write's work on the group's EF Core context: the entities it adds or changes, and its audit rows, go through
/// the change tracker and are written together by <see cref="Save"/>; the changes to announce and the full-text index
/// changes it collects on its way are applied by the pipeline when the write succeeded.
/// </summary>
internal sealed class UnitOfWork
{
    private readonly List<DocumentEntity> _created = [];
    private readonly List<AuditEntryEntity> _audits = [];
    private readonly long _started;

    public UnitOfWork(DocStoreDbContext db, string actor, long now, long started)
    {
        Db = db;
        Actor = actor;
        Now = now;
        _started = started;
    }

    /// <summary>The group's context, in the group's transaction (inside this write's savepoint when it shares the group).</summary>
    public DocStoreDbContext Db { get; }

    /// <summary>Who is writing.</summary>
    public string Actor { get; }

    /// <summary>The engine's statement locking one document row until commit (<see cref="Engine.IStorageEngine.LockRowSql"/>); null when the write transaction holds the lock already.</summary>
    public string? LockRowSql { get; init; }

    /// <summary>The write's timestamp (UTC ticks), the same for every row it touches.</summary>
    public long Now { get; }

    /// <summary>Documents changed, in order: announced after commit, and handed to the write observer before it.</summary>
    public List<DocumentChange> Changes { get; } = [];

    /// <summary>The id of the last audit row this write saved (0 when none).</summary>
    public long LastAuditId { get; private set; }

    /// <summary>
    /// Full-text index changes, applied last in the transaction. FTS5 flushes its pending terms to a
    /// new segment whenever a later statement opens a savepoint on it, so index writes interleaved
    /// with other inserts cost a flush each.
    /// </summary>
    public List<IndexChange> IndexChanges { get; } = [];

    /// <summary>Adds a new document's entity and its audit row; it gets its id, its change and its index entry on the next <see cref="Save"/>.</summary>
    public void Add(DocumentEntity entity)
    {
        // Entity states set one by one: DbSet.Add walks the whole graph, which the write path does not need.
        Db.Entry(entity).State = EntityState.Added;
        foreach (var tag in entity.TagRows)
        {
            Db.Entry(tag).State = EntityState.Added;
        }

        _created.Add(entity);
        _audits.Add(AuditWriter.Add(Db, Now, AuditOperation.Create, null, 1, Actor, AuditOutcome.Success, null, 0, entity));
        Pending = true;
    }

    /// <summary>Whether something was added or changed since the last save (change detection is off on the write contexts).</summary>
    public bool Pending { get; set; }

    /// <summary>Records a change to an existing document, with its audit row (saved by the next <see cref="Save"/>).</summary>
    public void Record(AuditOperation operation, DocumentChange change)
    {
        Changes.Add(change);
        _audits.Add(AuditWriter.Add(Db, Now, operation, change.Id, change.Version, Actor, AuditOutcome.Success, null, 0));
        Pending = true;
    }

    /// <summary>Writes the tracked changes (inside the write's savepoint), then records the documents created since the last save.</summary>
    public void Save()
    {
        if (!Pending)
        {
            return;
        }

        Pending = false;

        var duration = (long)Stopwatch.GetElapsedTime(_started).TotalMicroseconds;
        foreach (var audit in _audits)
        {
            audit.DurationMicroseconds = duration;
        }

        Db.SaveChanges();
        foreach (var audit in _audits)
        {
            LastAuditId = Math.Max(LastAuditId, audit.Id);
        }

        foreach (var entity in _created)
        {
            Changes.Add(new DocumentChange(entity.Id, 1, DocumentChangeKind.Created));
            IndexChanges.Add(new IndexChange(false, false, entity.Id, entity.Title, entity.Content, entity.Tags));
        }

        _audits.Clear();
        _created.Clear();
    }
}
