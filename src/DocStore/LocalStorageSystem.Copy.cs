using System.Diagnostics;
using DocStore.Data;
using Microsoft.EntityFrameworkCore;

namespace DocStore;

/// <summary>Copy: every row of this store into a new store on any engine, ids and history kept (how a store moves from SQLite to PostgreSQL, or back), resuming an interrupted copy.</summary>
public sealed partial class LocalStorageSystem
{
    /// <summary>Documents (with their tags and history) per transaction of a copy.</summary>
    private const int CopyBatch = 500;

    /// <summary>
    /// Copies everything this store holds (documents with their ids, tags, read counts and every version, deleted ones
    /// included, and the whole audit log) into the store <paramref name="destination"/> names, creating its schema when
    /// needed, then verifies the destination. The source is read in one snapshot, so a copy of a store in use is
    /// consistent as of its start; writes made meanwhile are not in it. The destination takes one transaction per batch,
    /// in id order, so an interrupted copy (cancelled, killed, the connection lost) leaves a prefix of the source behind.
    /// Calling this again resumes it: the rows already there are checked against the source (same ids, versions and
    /// content; read counts are brought up to date) and the copy goes on after them. A destination holding anything
    /// else is refused unchanged.
    /// </summary>
    /// <param name="destination">The store to copy into, on any engine: new, empty, or left by an interrupted copy of this store.</param>
    /// <param name="progress">Told after each batch how many documents and audit rows the destination holds so far.</param>
    /// <param name="cancellationToken">Cancels between batches; calling again resumes.</param>
    /// <returns>What the destination holds from this store, what was found already copied, and its verification report.</returns>
    /// <exception cref="InvalidOperationException">The destination holds rows that are not an interrupted copy of this store.</exception>
    public async Task<CopyResult> CopyToAsync(DocStoreOptions destination, IProgress<CopyProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ThrowIfDisposed();
        var started = Stopwatch.GetTimestamp();
        await using var target = new LocalStorageSystem(destination);
        var found = await target.ReadAsync(
            async (db, _, ct) => new CopyState(
                await db.Documents.LongCountAsync(ct).ConfigureAwait(false),
                await db.Documents.MaxAsync(d => (long?)d.Id, ct).ConfigureAwait(false) ?? 0,
                await db.Versions.LongCountAsync(ct).ConfigureAwait(false),
                await db.Audit.LongCountAsync(ct).ConfigureAwait(false),
                await db.Audit.MaxAsync(a => (long?)a.Id, ct).ConfigureAwait(false) ?? 0),
            cancellationToken,
            snapshot: true).ConfigureAwait(false);

        var copied = await ReadAsync(
            async (source, _, ct) =>
            {
                await CheckCopiedPrefixAsync(source, target, found, ct).ConfigureAwait(false);
                var (documents, versions, audit, after) = (found.Documents, found.Versions, found.AuditEntries, found.LastDocumentId);
                while (true)
                {
                    var batch = await source.Documents.Include(d => d.TagRows).Where(d => d.Id > after).OrderBy(d => d.Id).Take(CopyBatch)
                        .ToListAsync(ct).ConfigureAwait(false);
                    if (batch.Count == 0)
                    {
                        break;
                    }

                    var (low, high) = (after, batch[^1].Id);
                    var history = await source.Versions.Where(v => v.DocumentId > low && v.DocumentId <= high).ToListAsync(ct).ConfigureAwait(false);
                    await target._pipeline.LoadAsync("Copying documents", db => Load(db, batch, history), ct).ConfigureAwait(false);
                    (documents, versions, after) = (documents + batch.Count, versions + history.Count, high);
                    progress?.Report(new CopyProgress(documents, audit));
                }

                for (var last = found.LastAuditId; ;)
                {
                    var rows = await source.Audit.Where(a => a.Id > last).OrderBy(a => a.Id).Take(CopyBatch * 10).ToListAsync(ct).ConfigureAwait(false);
                    if (rows.Count == 0)
                    {
                        break;
                    }

                    await target._pipeline.LoadAsync("Copying the audit log", db => Load(db, rows, []), ct).ConfigureAwait(false);
                    (audit, last) = (audit + rows.Count, rows[^1].Id);
                    progress?.Report(new CopyProgress(documents, audit));
                }

                return (documents, versions, audit);
            },
            cancellationToken,
            snapshot: true).ConfigureAwait(false);

        await target._pipeline.ExclusiveAsync(
            "Finishing the copy",
            connection =>
            {
                target._engine.FinishLoad(connection);
                return true;
            },
            cancellationToken).ConfigureAwait(false);
        var report = await target.VerifyAsync(cancellationToken).ConfigureAwait(false);
        return new CopyResult(copied.documents, copied.versions, copied.audit, report, Stopwatch.GetElapsedTime(started))
        {
            ResumedDocuments = found.Documents,
            ResumedAuditEntries = found.AuditEntries,
        };
    }

    /// <summary>
    /// Checks that what the destination holds is what an interrupted copy of this snapshot leaves: the source's
    /// documents up to its last id, with the same versions and content, and the source's audit rows up to its last
    /// id. Read counts move on in a store in use, so those of the copied documents are brought up to date.
    /// </summary>
    private static async Task CheckCopiedPrefixAsync(DocStoreDbContext source, LocalStorageSystem target, CopyState found, CancellationToken ct)
    {
        if (found.Documents == 0 && found.AuditEntries == 0)
        {
            return;
        }

        var refused = $"The destination {target.DatabasePath} holds rows that are not an interrupted copy of this store";
        var stale = new List<CopiedKey>();
        for (var after = 0L; after < found.LastDocumentId;)
        {
            var low = after;
            var mine = await Keys(source.Documents.Where(d => d.Id > low && d.Id <= found.LastDocumentId)).ToListAsync(ct).ConfigureAwait(false);
            var theirs = await target.ReadAsync(
                (db, _, c) => Keys(db.Documents.Where(d => d.Id > low && d.Id <= found.LastDocumentId)).ToListAsync(c),
                ct).ConfigureAwait(false);
            if (theirs.Count == 0)
            {
                break;
            }

            for (var i = 0; i < theirs.Count; i++)
            {
                if (i >= mine.Count || !mine[i].SameVersion(theirs[i]))
                {
                    var at = i < mine.Count ? Math.Min(mine[i].Id, theirs[i].Id) : theirs[i].Id;
                    throw new InvalidOperationException($"{refused} (document {at} differs or is missing here): copy into a new store.");
                }
            }

            stale.AddRange(mine.Take(theirs.Count).Where((key, i) => key.AccessCount != theirs[i].AccessCount || key.LastAccessedAt != theirs[i].LastAccessedAt));
            after = theirs[^1].Id;
        }

        var documentsHere = await source.Documents.LongCountAsync(d => d.Id <= found.LastDocumentId, ct).ConfigureAwait(false);
        var auditHere = await source.Audit.LongCountAsync(a => a.Id <= found.LastAuditId, ct).ConfigureAwait(false);
        if (documentsHere != found.Documents || auditHere != found.AuditEntries)
        {
            throw new InvalidOperationException($"{refused} ({found.Documents:N0} documents and {found.AuditEntries:N0} audit rows there, {documentsHere:N0} and {auditHere:N0} here up to the same ids): copy into a new store.");
        }

        // Only once everything matched, so a refused destination is left unchanged.
        foreach (var chunk in stale.Chunk(CopyBatch * 10))
        {
            var counts = chunk.ToDictionary(key => key.Id);
            await target._pipeline.LoadAsync(
                "Bringing the copied read counts up to date",
                db =>
                {
                    var ids = counts.Keys.ToArray();
                    foreach (var row in db.Documents.Where(d => ids.Contains(d.Id)))
                    {
                        // Through the entry: write contexts do not detect changes on their own.
                        var entry = db.Entry(row);
                        entry.Property(d => d.AccessCount).CurrentValue = counts[row.Id].AccessCount;
                        entry.Property(d => d.LastAccessedAt).CurrentValue = counts[row.Id].LastAccessedAt;
                    }

                    return counts.Count;
                },
                ct).ConfigureAwait(false);
        }
    }

    private static IQueryable<CopiedKey> Keys(IQueryable<DocumentEntity> documents) =>
        documents.OrderBy(d => d.Id).Take(CopyBatch * 10)
            .Select(d => new CopiedKey(d.Id, d.Version, d.UpdatedAt, d.ContentHash, d.AccessCount, d.LastAccessedAt));

    private static int Load<T>(DocStoreDbContext db, List<T> rows, List<DocumentVersionEntity> history)
        where T : class
    {
        // Added with the ids they have: the destination's identities move past them when the copy finishes.
        db.AddRange(rows);
        db.AddRange(history);
        return rows.Count;
    }

    /// <summary>What a copy's destination holds when the copy starts (all zero for a new store).</summary>
    private readonly record struct CopyState(long Documents, long LastDocumentId, long Versions, long AuditEntries, long LastAuditId);

    /// <summary>A document as the resume check compares it: a copied row must have the source's version and content.</summary>
    private sealed record CopiedKey(long Id, int Version, long UpdatedAt, byte[] ContentHash, long AccessCount, long? LastAccessedAt)
    {
        public bool SameVersion(CopiedKey other) =>
            Id == other.Id && Version == other.Version && UpdatedAt == other.UpdatedAt && ContentHash.AsSpan().SequenceEqual(other.ContentHash);
    }
}
