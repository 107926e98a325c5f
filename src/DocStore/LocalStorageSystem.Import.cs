using System.Diagnostics;
using DocStore.Validation;

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
        var batch = new List<(ValidatedFields Fields, string Hash)>(options.BatchSize);
        var rejections = new List<ImportRejection>();
        long read = 0, created = 0, skipped = 0, rejected = 0;

        async Task FlushAsync()
        {
            if (batch.Count == 0)
            {
                return;
            }

            var pending = batch.ToArray();
            batch.Clear();
            var (added, existing) = await _pipeline.RunAsync(
                AuditOperation.Create,
                null,
                (scope, ct) =>
                {
                    var added = 0;
                    foreach (var (fields, hash) in pending)
                    {
                        ct.ThrowIfCancellationRequested();
                        if (options.SkipExisting && _rows.Exists(fields.SourcePath, hash, scope))
                        {
                            continue;
                        }

                        var document = _rows.Insert(fields, scope);
                        scope.Record(AuditOperation.Create, new DocumentChange(document.Id, 1, DocumentChangeKind.Created));
                        added++;
                    }

                    return (added, pending.Length - added);
                },
                cancellationToken).ConfigureAwait(false);
            created += added;
            skipped += existing;
            options.Progress?.Report(new ImportProgress(read, created, skipped, rejected, Stopwatch.GetElapsedTime(started)));
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
                    rejections.Add(new ImportRejection(index, errors));
                }

                continue;
            }

            // The same document twice in one stream is found like one stored by an earlier run: the lookup
            // sees the rows this import's transaction wrote, so nothing but the batch is held in memory.
            batch.Add((fields, DocumentValidator.ContentHash(fields.Content)));
            if (batch.Count >= options.BatchSize)
            {
                await FlushAsync().ConfigureAwait(false);
            }
        }

        await FlushAsync().ConfigureAwait(false);
        return new ImportResult { Created = created, Skipped = skipped, Rejected = rejected, Rejections = rejections };
    }
}
