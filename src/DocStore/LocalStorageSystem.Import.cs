using System.Diagnostics;
using DocStore.Sql;
using DocStore.Writes;

namespace DocStore;

/// <summary>Streaming import: any number of documents, one batch in memory and one transaction per batch.</summary>
public sealed partial class LocalStorageSystem
{
    private const int MaxReportedRejections = 1_000;

    /// <inheritdoc />
    public async Task<ImportResult> ImportAsync(IAsyncEnumerable<NewDocument> documents, ImportOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(documents);
        ThrowIfDisposed();
        options ??= new ImportOptions();
        if (options.BatchSize is < 1 or > 10_000)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.BatchSize, "BatchSize must be between 1 and 10,000.");
        }

        var started = Stopwatch.GetTimestamp();
        var batch = new List<StoredContent>(options.BatchSize);
        var rejections = new List<ImportRejection>();
        long read = 0, created = 0, updated = 0, unchanged = 0, rejected = 0;

        async Task FlushAsync()
        {
            if (batch.Count == 0)
            {
                return;
            }

            var pending = batch.ToArray();
            batch.Clear();
            var counts = await _pipeline.RunAsync(
                AuditOperation.Create,
                null,
                (work, ct) =>
                {
                    var counts = (Created: 0, Updated: 0, Unchanged: 0);
                    var unsaved = new HashSet<string>(StringComparer.Ordinal);
                    foreach (var fields in pending)
                    {
                        ct.ThrowIfCancellationRequested();
                        if (options.MatchExisting && !unsaved.Add(fields.SourcePath ?? "#" + fields.ContentHash))
                        {
                            // The same document twice in this batch: the lookup must see the first one stored.
                            work.Save();
                            unsaved.Clear();
                        }

                        switch (options.MatchExisting ? ImportMatch(fields, work) : ImportAction.Create)
                        {
                            case ImportAction.Unchanged:
                                counts.Unchanged++;
                                break;
                            case ImportAction.Updated:
                                counts.Updated++;
                                break;
                            default:
                                DocumentWriter.Add(fields, work);
                                counts.Created++;
                                break;
                        }
                    }

                    return counts;
                },
                cancellationToken).ConfigureAwait(false);
            created += counts.Created;
            updated += counts.Updated;
            unchanged += counts.Unchanged;
            options.Progress?.Report(new ImportProgress(read, created, updated, unchanged, rejected, Stopwatch.GetElapsedTime(started)));
        }

        await foreach (var document in documents.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            var index = read++;
            var errors = new List<ValidationError>();
            var fields = _validator.ValidateNew(document, string.Empty, errors);
            if (fields is null)
            {
                if (!options.SkipInvalid)
                {
                    await FlushAsync().ConfigureAwait(false);
                    var prefixed = errors.ConvertAll(e => e with { Field = $"[{index}].{e.Field}" });
                    throw await _pipeline.RejectAsync(AuditOperation.Create, null, prefixed, started).ConfigureAwait(false);
                }

                rejected++;
                await _pipeline.RejectAsync(AuditOperation.Create, null, errors, Stopwatch.GetTimestamp()).ConfigureAwait(false);
                if (rejections.Count < MaxReportedRejections)
                {
                    rejections.Add(new ImportRejection(index, document.SourcePath, errors));
                }

                continue;
            }

            // The same document twice in one stream is matched like one stored by an earlier run: the lookup
            // sees the rows this import's transaction wrote, so nothing but the batch is held in memory.
            batch.Add(fields.Value);
            if (batch.Count >= options.BatchSize)
            {
                await FlushAsync().ConfigureAwait(false);
            }
        }

        await FlushAsync().ConfigureAwait(false);
        return new ImportResult { Created = created, Updated = updated, Unchanged = unchanged, Rejected = rejected, Rejections = rejections };
    }

    /// <summary>
    /// Matches an imported document to a stored one (<see cref="ImportOptions.MatchExisting"/>), updating the stored
    /// one when it has the same source path and other fields. Create means no match: the caller creates it.
    /// </summary>
    private static ImportAction ImportMatch(StoredContent next, UnitOfWork work)
    {
        if (DocumentWriter.Match(next.SourcePath, next.ContentHash, work) is not { } id || DocumentWriter.Current(id, work) is not { } current)
        {
            return ImportAction.Create;
        }

        if (next == StoredContent.From(current))
        {
            return ImportAction.Unchanged;
        }

        if (next.SourcePath is null)
        {
            // The same content with other fields and no source path to say it is the same document: a document of its own.
            return ImportAction.Create;
        }

        DocumentWriter.Replace(current, next, work, AuditOperation.Update, DocumentChangeKind.Updated);
        return ImportAction.Updated;
    }

    private enum ImportAction
    {
        Create,
        Updated,
        Unchanged,
    }
}
