using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;

namespace DocStore.Hosting;

/// <summary>
/// The <see cref="IDocumentStore"/> a host hands out: each call passes to the store inside an activity (when
/// someone listens to <see cref="DocStoreInstrumentation.Source"/>), its duration goes to the
/// <see cref="DocStoreInstrumentation.OperationDuration"/> histogram (when it is enabled), and a call slower
/// than <see cref="DocStoreHostOptions.SlowOperationThreshold"/> is logged. With nobody listening a cached get
/// costs two timestamps more. The host owns the inner store: disposing this wrapper leaves it open.
/// </summary>
internal sealed class InstrumentedDocumentStore : IDocumentStore
{
    private readonly IDocumentStore _inner;
    private readonly ILogger _logger;
    private readonly long _slowTicks;
    private readonly Histogram<double> _duration;
    private readonly Counter<long> _written;

    public InstrumentedDocumentStore(IDocumentStore inner, Meter meter, ILogger logger, TimeSpan slowThreshold)
    {
        _inner = inner;
        _logger = logger;
        _slowTicks = slowThreshold <= TimeSpan.Zero ? long.MaxValue : (long)(slowThreshold.TotalSeconds * Stopwatch.Frequency);
        _duration = meter.CreateHistogram<double>(DocStoreInstrumentation.OperationDuration, "s", "Duration of DocStore calls");
        _written = meter.CreateCounter<long>(DocStoreInstrumentation.DocumentsWritten, "{document}", "Documents created, updated, deleted or restored");
    }

    public event EventHandler<DocumentChangedEventArgs>? DocumentChanged
    {
        add => _inner.DocumentChanged += value;
        remove => _inner.DocumentChanged -= value;
    }

    public Task<Document> CreateAsync(NewDocument document, CancellationToken cancellationToken = default) =>
        Run("create", () => _inner.CreateAsync(document, cancellationToken), _ => 1);

    public Task<IReadOnlyList<Document>> CreateManyAsync(IEnumerable<NewDocument> documents, CancellationToken cancellationToken = default) =>
        Run("create_many", () => _inner.CreateManyAsync(documents, cancellationToken), r => r.Count);

    public Task<ImportResult> ImportAsync(IAsyncEnumerable<NewDocument> documents, ImportOptions? options = null, CancellationToken cancellationToken = default) =>
        Run("import", () => _inner.ImportAsync(documents, options, cancellationToken), r => (int)r.Created);

    public Task<Document> UpdateAsync(long id, DocumentUpdate update, CancellationToken cancellationToken = default) =>
        Run("update", () => _inner.UpdateAsync(id, update, cancellationToken), _ => 1);

    public Task<bool> DeleteAsync(long id, DeleteMode mode = DeleteMode.Soft, CancellationToken cancellationToken = default) =>
        Run("delete", () => _inner.DeleteAsync(id, mode, cancellationToken), deleted => deleted ? 1 : 0);

    public Task<Document> RestoreVersionAsync(long id, int version, CancellationToken cancellationToken = default) =>
        Run("restore", () => _inner.RestoreVersionAsync(id, version, cancellationToken), _ => 1);

    public ValueTask<Document?> GetAsync(long id, CancellationToken cancellationToken = default)
    {
        // The hot path: a cache hit completes synchronously, so no async state machine unless it must wait.
        var activity = StartActivity("get");
        var started = Stopwatch.GetTimestamp();
        ValueTask<Document?> pending;
        try
        {
            pending = _inner.GetAsync(id, cancellationToken);
        }
        catch (Exception e)
        {
            Finish("get", started, activity, e);
            throw;
        }

        if (pending.IsCompletedSuccessfully)
        {
            Finish("get", started, activity, null);
            return pending;
        }

        return new ValueTask<Document?>(Await("get", pending.AsTask(), started, activity));
    }

    public ValueTask<Document?> GetByUuidAsync(Guid uuid, CancellationToken cancellationToken = default) =>
        new(Run("get_by_uuid", () => _inner.GetByUuidAsync(uuid, cancellationToken).AsTask()));

    public Task<IReadOnlyList<Document>> GetManyAsync(IEnumerable<long> ids, CancellationToken cancellationToken = default) =>
        Run("get_many", () => _inner.GetManyAsync(ids, cancellationToken));

    public Task<PagedResult<Document>> ListAsync(ListQuery query, CancellationToken cancellationToken = default) =>
        Run("list", () => _inner.ListAsync(query, cancellationToken));

    public Task<PagedResult<SearchHit>> SearchAsync(SearchQuery query, CancellationToken cancellationToken = default) =>
        Run("search", () => _inner.SearchAsync(query, cancellationToken));

    public Task<IReadOnlyList<DocumentVersion>> GetVersionsAsync(long id, CancellationToken cancellationToken = default) =>
        Run("get_versions", () => _inner.GetVersionsAsync(id, cancellationToken));

    public Task<DocumentVersion?> GetVersionAsync(long id, int version, CancellationToken cancellationToken = default) =>
        Run("get_version", () => _inner.GetVersionAsync(id, version, cancellationToken));

    public Task<PagedResult<AuditEntry>> GetAuditLogAsync(AuditQuery query, CancellationToken cancellationToken = default) =>
        Run("audit", () => _inner.GetAuditLogAsync(query, cancellationToken));

    public Task<StoreStatistics> GetStatisticsAsync(CancellationToken cancellationToken = default) =>
        Run("statistics", () => _inner.GetStatisticsAsync(cancellationToken));

    public Task OptimizeAsync(bool vacuum = false, CancellationToken cancellationToken = default) =>
        Run("optimize", async () => { await _inner.OptimizeAsync(vacuum, cancellationToken).ConfigureAwait(false); return true; });

    public Task RotateKeyAsync(EncryptionKey newKey, CancellationToken cancellationToken = default) =>
        Run("rotate_key", async () => { await _inner.RotateKeyAsync(newKey, cancellationToken).ConfigureAwait(false); return true; });

    public Task CheckpointAsync(CancellationToken cancellationToken = default) =>
        Run("checkpoint", async () => { await _inner.CheckpointAsync(cancellationToken).ConfigureAwait(false); return true; });

    public Task BackupAsync(string destinationPath, CancellationToken cancellationToken = default) =>
        Run("backup", async () => { await _inner.BackupAsync(destinationPath, cancellationToken).ConfigureAwait(false); return true; });

    public Task<VerificationReport> VerifyAsync(CancellationToken cancellationToken = default) =>
        Run("verify", () => _inner.VerifyAsync(cancellationToken));

    /// <summary>Does nothing: the host owns the store and disposes it on shutdown.</summary>
    public void Dispose()
    {
    }

    /// <summary>Does nothing: the host owns the store and disposes it on shutdown.</summary>
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private static Activity? StartActivity(string operation)
    {
        if (!DocStoreInstrumentation.Source.HasListeners())
        {
            return null;
        }

        var activity = DocStoreInstrumentation.Source.StartActivity("docstore." + operation, ActivityKind.Internal);
        activity?.SetTag(DocStoreInstrumentation.OperationTag, operation);
        return activity;
    }

    private async Task<T> Run<T>(string operation, Func<Task<T>> call, Func<T, int>? written = null)
    {
        var activity = StartActivity(operation);
        var started = Stopwatch.GetTimestamp();
        try
        {
            var result = await call().ConfigureAwait(false);
            if (written is not null && _written.Enabled)
            {
                _written.Add(written(result), new KeyValuePair<string, object?>(DocStoreInstrumentation.OperationTag, operation));
            }

            Finish(operation, started, activity, null);
            return result;
        }
        catch (Exception e)
        {
            Finish(operation, started, activity, e);
            throw;
        }
    }

    private async Task<T> Await<T>(string operation, Task<T> pending, long started, Activity? activity)
    {
        try
        {
            var result = await pending.ConfigureAwait(false);
            Finish(operation, started, activity, null);
            return result;
        }
        catch (Exception e)
        {
            Finish(operation, started, activity, e);
            throw;
        }
    }

    private void Finish(string operation, long started, Activity? activity, Exception? error)
    {
        var elapsed = Stopwatch.GetTimestamp() - started;
        if (_duration.Enabled)
        {
            var seconds = (double)elapsed / Stopwatch.Frequency;
            if (error is null)
            {
                _duration.Record(seconds, new KeyValuePair<string, object?>(DocStoreInstrumentation.OperationTag, operation));
            }
            else
            {
                _duration.Record(seconds, new KeyValuePair<string, object?>(DocStoreInstrumentation.OperationTag, operation), new KeyValuePair<string, object?>("error.type", error.GetType().Name));
            }
        }

        if (activity is not null)
        {
            if (error is not null)
            {
                activity.SetStatus(ActivityStatusCode.Error, error.Message);
                activity.SetTag("error.type", error.GetType().Name);
            }

            activity.Dispose();
        }

        if (elapsed >= _slowTicks)
        {
            Log.SlowOperation(_logger, operation, (double)elapsed * 1000 / Stopwatch.Frequency, error?.GetType().Name ?? "none");
        }
    }
}
