using System.Diagnostics;
using DocStore.Data;
using Microsoft.EntityFrameworkCore;

namespace DocStore;

/// <summary>Copy: every row of this store into an empty store on any engine, ids and history kept (how a store moves from SQLite to PostgreSQL, or back).</summary>
public sealed partial class LocalStorageSystem
{
    /// <summary>Documents (with their tags and history) per transaction of a copy.</summary>
    private const int CopyBatch = 500;

    /// <summary>
    /// Copies everything this store holds (documents with their ids, tags, read counts and every version, deleted ones
    /// included, and the whole audit log) into the empty store <paramref name="destination"/> names, creating its schema
    /// when needed, then verifies the destination. The source is read in one snapshot, so a copy of a store in use is
    /// consistent as of its start; writes made meanwhile are not in it. The destination takes one transaction per
    /// batch of documents: a copy that fails part way leaves a destination to drop and copy into again.
    /// </summary>
    /// <param name="destination">The store to copy into, on any engine; it must hold no document and no audit row.</param>
    /// <param name="progress">Told after each batch how many documents and audit rows are copied so far.</param>
    /// <param name="cancellationToken">Cancels between batches.</param>
    /// <returns>What was copied and the destination's verification report.</returns>
    /// <exception cref="InvalidOperationException">The destination is not empty.</exception>
    public async Task<CopyResult> CopyToAsync(DocStoreOptions destination, IProgress<CopyProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ThrowIfDisposed();
        var started = Stopwatch.GetTimestamp();
        await using var target = new LocalStorageSystem(destination);
        await target._pipeline.LoadAsync(
            "Checking the copy's destination",
            db => db.Documents.Any() || db.Audit.Any()
                ? throw new InvalidOperationException($"The destination {target.DatabasePath} is not empty: a copy goes into a new store only.")
                : true,
            cancellationToken).ConfigureAwait(false);

        var (documents, versions, audit) = await ReadAsync(
            async (source, _, ct) =>
            {
                long documents = 0, versions = 0, audit = 0, after = 0;
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
                    progress?.Report(new CopyProgress(documents, 0));
                }

                for (var last = 0L; ;)
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
        return new CopyResult(documents, versions, audit, report, Stopwatch.GetElapsedTime(started));
    }

    private static int Load<T>(DocStoreDbContext db, List<T> rows, List<DocumentVersionEntity> history)
        where T : class
    {
        // Added with the ids they have: the destination's identities move past them when the copy finishes.
        db.AddRange(rows);
        db.AddRange(history);
        return rows.Count;
    }
}
