using DocStore.Data;
using DocStore.Internal;
using DocStore.Search;
using DocStore.Sql;
using DocStore.Validation;
using Microsoft.EntityFrameworkCore;

namespace DocStore.Writes;

/// <summary>
/// A write's changes to documents, their tag rows and their history, through EF Core's change tracker: each
/// operation adds or changes entities on the unit of work's context and saves them inside the write's savepoint.
/// A document's current version lives in <c>documents</c> alone; <c>document_versions</c> holds the versions it
/// replaced (each written when it is replaced). The version column is EF Core's concurrency token, so an update
/// or delete of a row another process changed fails with <see cref="VersionConflictException"/>.
/// </summary>
internal static class DocumentWriter
{
    // A compiled query serves one model only, and each engine has its own: one set per model, compiled on first use.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<Microsoft.EntityFrameworkCore.Metadata.IModel, CompiledQueries> Queries = new();

    private static CompiledQueries For(DocStoreDbContext db) => Queries.GetOrAdd(db.Model, static _ => new CompiledQueries());

    /// <summary>Adds a validated document and its tag rows to the unit of work; it is inserted (and gets its id) on the next save.</summary>
    public static DocumentEntity Add(StoredContent content, UnitOfWork work)
    {
        var entity = new DocumentEntity
        {
            Uuid = StoredBytes.FromUuid(Guid.CreateVersion7(UtcTicks.ToDateTimeOffset(work.Now))),
            Version = 1,
            CreatedAt = work.Now,
            UpdatedAt = work.Now,
            UpdatedBy = work.Actor,
        };
        content.ApplyTo(entity);
        entity.TitleKey = TitleKey.Of(content.Title);
        foreach (var tag in content.TagList)
        {
            entity.TagRows.Add(new DocumentTagEntity { Tag = tag, Document = entity });
        }

        work.Add(entity);
        return entity;
    }

    /// <summary>The document as stored now (any status), tracked so that changes to it are saved; null if there is none.</summary>
    public static DocumentEntity? Current(long id, UnitOfWork work)
    {
        if (work.LockRowSql is { } lockRow)
        {
            // Another instance's write to this row commits first; the read below then sees it (READ COMMITTED).
            work.Db.Database.ExecuteSqlRaw(lockRow, id);
        }

        return For(work.Db).Current(work.Db, id);
    }

    /// <summary>A replaced version's stored content; null if the document has no such version in its history.</summary>
    public static StoredContent? Version(long id, int version, UnitOfWork work) =>
        For(work.Db).Version(work.Db, id, version) is { } row ? StoredContent.From(row) : null;

    /// <summary>The id of the oldest document not deleted with this source path, or, when it is null, this content hash; null if none.</summary>
    public static long? Match(string? sourcePath, string contentHash, UnitOfWork work)
    {
        var id = sourcePath is null ? For(work.Db).MatchByHash(work.Db, StoredBytes.FromHash(contentHash)) : For(work.Db).MatchByPath(work.Db, sourcePath);
        return id == 0 ? null : id;
    }

    /// <summary>
    /// Writes <paramref name="next"/> as the document's new current version: the replaced version goes to the
    /// history, the row is updated (guarded by its version), tag rows follow, and the index entry is replaced
    /// when the indexed text changed. Records the change on the unit of work and returns the new document.
    /// </summary>
    public static Document Replace(DocumentEntity current, StoredContent next, UnitOfWork work, AuditOperation operation, DocumentChangeKind kind)
    {
        var previous = StoredContent.From(current);
        var oldVersion = current.Version;
        var oldTags = previous.TagList;
        work.Db.Entry(previous.ToVersionRow(current.Id, oldVersion, current.UpdatedAt, current.UpdatedBy)).State = EntityState.Added;

        next.ApplyTo(current);
        current.TitleKey = TitleKey.Of(next.Title);
        current.Version = oldVersion + 1;
        current.UpdatedAt = work.Now;
        current.UpdatedBy = work.Actor;
        SetTags(current.Id, oldTags, next.TagList, work.Db);
        work.Db.Entry(current).DetectChanges();
        work.Record(operation, new DocumentChange(current.Id, current.Version, kind));
        SaveGuarded(work, current.Id, oldVersion);

        // The entry moves when the indexed text changed, or between the live index and the trash's.
        var wasTrash = previous.Status == DocumentStatus.Deleted;
        var isTrash = next.Status == DocumentStatus.Deleted;
        if (wasTrash != isTrash
            || !string.Equals(previous.Title, next.Title, StringComparison.Ordinal)
            || !string.Equals(previous.Content, next.Content, StringComparison.Ordinal)
            || !string.Equals(previous.Tags, next.Tags, StringComparison.Ordinal))
        {
            work.IndexChanges.Add(new IndexChange(true, wasTrash, current.Id, previous.Title, previous.Content, previous.Tags));
            work.IndexChanges.Add(new IndexChange(false, isTrash, current.Id, next.Title, next.Content, next.Tags));
        }

        return DocumentMapper.FromEntity(current);
    }

    /// <summary>Removes a document with its history and tag rows (ON DELETE CASCADE) and its index entry.</summary>
    public static void Delete(DocumentEntity current, UnitOfWork work)
    {
        work.IndexChanges.Add(new IndexChange(true, current.Status == DocumentStatus.Deleted, current.Id, current.Title, current.Content, current.Tags));
        work.Db.Entry(current).State = EntityState.Deleted;
        work.Record(AuditOperation.HardDelete, new DocumentChange(current.Id, current.Version, DocumentChangeKind.Purged));
        SaveGuarded(work, current.Id, current.Version);
    }

    /// <summary>Saves a change guarded by the document's version (EF Core's concurrency token).</summary>
    private static void SaveGuarded(UnitOfWork work, long id, int expectedVersion)
    {
        try
        {
            work.Save();
        }
        catch (DbUpdateConcurrencyException)
        {
            // Only another process could have changed it: this transaction holds the write lock since its read.
            throw new VersionConflictException(id, expectedVersion, null);
        }
    }

    /// <summary>Makes the document's tag rows go from <paramref name="before"/> to <paramref name="after"/>.</summary>
    private static void SetTags(long id, IReadOnlyList<string> before, IReadOnlyList<string> after, DocStoreDbContext db)
    {
        foreach (var tag in before)
        {
            if (!after.Contains(tag, StringComparer.Ordinal))
            {
                db.Entry(new DocumentTagEntity { Tag = tag, DocumentId = id }).State = EntityState.Deleted;
            }
        }

        foreach (var tag in after)
        {
            if (!before.Contains(tag, StringComparer.Ordinal))
            {
                db.Entry(new DocumentTagEntity { Tag = tag, DocumentId = id }).State = EntityState.Added;
            }
        }
    }

    /// <summary>The queries the writer runs on every update, delete, restore and import, compiled once per model.</summary>
    private sealed class CompiledQueries
    {
        public readonly Func<DocStoreDbContext, long, DocumentEntity?> Current =
            EF.CompileQuery((DocStoreDbContext db, long id) => db.Documents.FirstOrDefault(d => d.Id == id));

        public readonly Func<DocStoreDbContext, long, int, DocumentVersionEntity?> Version =
            EF.CompileQuery((DocStoreDbContext db, long id, int version) =>
                db.Versions.AsNoTracking().FirstOrDefault(v => v.DocumentId == id && v.Version == version));

        public readonly Func<DocStoreDbContext, string, long> MatchByPath =
            EF.CompileQuery((DocStoreDbContext db, string path) =>
                db.Documents.Where(d => d.SourcePath == path && d.Status != DocumentStatus.Deleted).OrderBy(d => d.Id).Select(d => d.Id).FirstOrDefault());

        public readonly Func<DocStoreDbContext, byte[], long> MatchByHash =
            EF.CompileQuery((DocStoreDbContext db, byte[] hash) =>
                db.Documents.Where(d => d.ContentHash == hash && d.Status != DocumentStatus.Deleted).OrderBy(d => d.Id).Select(d => d.Id).FirstOrDefault());
    }
}
