using DocStore.Fast.Sql;
using DocStore.Fast.Tracking;
using DocStore.Internal;
using DocStore.Sql;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace DocStore.Fast;

/// <summary>
/// The store an application holds: the same <see cref="IDocumentStore"/> API as
/// <see cref="LocalStorageSystem"/>, whose EF Core path does every write, while reads are served by
/// the fast path (L1 cache, prepared commands on pooled connections, SQLite's page cache).
/// </summary>
/// <remarks>
/// <para>Every committed write invalidates the cache before its call returns, so a read that starts
/// after a write returned never sees an older version. Switching <see cref="FastPathEnabled"/> off
/// sends every read through EF Core again, with identical results.</para>
/// <para>Access statistics are eventually consistent: reads are counted in the background (at most
/// <see cref="OptimizedStorageOptions.TrackingFlushInterval"/> late), and a document served from the
/// cache shows the <see cref="Document.AccessCount"/> and <see cref="Document.LastAccessedAt"/> it
/// had when it was loaded, until a write to it or an eviction makes the next read load it again.</para>
/// </remarks>
public sealed class OptimizedStorageSystem : IDocumentStore
{
    private readonly LocalStorageSystem _store;
    private readonly FastStorageLayer _fast;
    private readonly AccessTracker? _tracker;
    private readonly Internal.StripedCounter _fallbackReads = new();
    private readonly ILogger _logger;
    private volatile bool _fastPathEnabled;
    private int _disposed;

    /// <summary>Opens (creating if needed) the store and its fast path.</summary>
    /// <param name="options">The settings.</param>
    public OptimizedStorageSystem(OptimizedStorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegative(options.CacheCapacity);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.PoolSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.TrackingBufferSize, 16);
        Options = options;
        _store = new LocalStorageSystem(options);
        try
        {
            _logger = options.LoggerFactory?.CreateLogger<OptimizedStorageSystem>() ?? (ILogger)NullLogger.Instance;
            if (options.EnableAccessTracking)
            {
                _tracker = new AccessTracker(options.TrackingBufferSize, options.TrackingFlushBatch, options.TrackingFlushInterval, _store.ApplyAccessUpdatesAsync, _logger);
            }

            var readConnectionString = new SqliteConnectionStringBuilder(_store.Connections.ReadConnectionString) { Pooling = false }.ToString();
            _fast = new FastStorageLayer(
                options,
                new ReadConnectionSettings(readConnectionString, options.MmapSizeBytes, options.PageCacheKiB, _store.Connections.Configure),
                _tracker,
                GetFastPathStatistics,
                _store.DatabasePath);
        }
        catch
        {
            _store.Dispose();
            throw;
        }

        _fastPathEnabled = options.EnableFastPath;

        _store.AddQuiesceHook(_fast.Pool.SuspendAsync, _fast.Pool.Resume);

        // Subscribed first, so the cache is invalidated before any application handler runs.
        _store.DocumentChanged += OnStoreChanged;
    }

    /// <inheritdoc />
    public event EventHandler<DocumentChangedEventArgs>? DocumentChanged;

    /// <summary>The settings the store was opened with.</summary>
    public OptimizedStorageOptions Options { get; }

    /// <summary>The EF Core store underneath (writes, history, audit, and reads while the fast path is off).</summary>
    public LocalStorageSystem Inner => _store;

    /// <summary>Whether reads use the fast path. Safe to switch at any time, from any thread.</summary>
    public bool FastPathEnabled
    {
        get => _fastPathEnabled;
        set => _fastPathEnabled = value;
    }

    internal FastStorageLayer FastLayer => _fast;

    internal AccessTracker? Tracker => _tracker;

    /// <inheritdoc />
    public Task<Document> CreateAsync(NewDocument document, CancellationToken cancellationToken = default) =>
        _store.CreateAsync(document, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<Document>> CreateManyAsync(IEnumerable<NewDocument> documents, CancellationToken cancellationToken = default) =>
        _store.CreateManyAsync(documents, cancellationToken);

    /// <inheritdoc />
    public Task<Document> UpdateAsync(long id, DocumentUpdate update, CancellationToken cancellationToken = default) =>
        _store.UpdateAsync(id, update, cancellationToken);

    /// <inheritdoc />
    public Task<bool> DeleteAsync(long id, DeleteMode mode = DeleteMode.Soft, CancellationToken cancellationToken = default) =>
        _store.DeleteAsync(id, mode, cancellationToken);

    /// <inheritdoc />
    public Task<Document> RestoreVersionAsync(long id, int version, CancellationToken cancellationToken = default) =>
        _store.RestoreVersionAsync(id, version, cancellationToken);

    /// <inheritdoc />
    public ValueTask<Document?> GetAsync(long id, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        if (_fastPathEnabled)
        {
            // Microsoft.Data.Sqlite runs synchronously anyway; a cache hit completes without a Task.
            try
            {
                cancellationToken.ThrowIfCancellationRequested();
                return new ValueTask<Document?>(_fast.Get(id));
            }
            catch (Exception e) when (e is DocStoreException or OperationCanceledException)
            {
                return ValueTask.FromException<Document?>(e);
            }
        }

        return FallbackGetAsync(id, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<Document?> GetByUuidAsync(Guid uuid, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        if (_fastPathEnabled)
        {
            try
            {
                cancellationToken.ThrowIfCancellationRequested();
                return new ValueTask<Document?>(_fast.GetByUuid(uuid));
            }
            catch (Exception e) when (e is DocStoreException or OperationCanceledException)
            {
                return ValueTask.FromException<Document?>(e);
            }
        }

        return FallbackGetByUuidAsync(uuid, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<Document>> GetManyAsync(IEnumerable<long> ids, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        if (!_fastPathEnabled)
        {
            _fallbackReads.Increment();
            var documents = await _store.GetManyAsync(ids, cancellationToken).ConfigureAwait(false);
            foreach (var document in documents)
            {
                _tracker?.Record(document.Id);
            }

            return documents;
        }

        cancellationToken.ThrowIfCancellationRequested();
        var wanted = QueryGuard.DistinctIds(ids);
        return wanted.Count == 0 ? [] : _fast.GetMany(wanted);
    }

    /// <inheritdoc />
    public async Task<PagedResult<Document>> ListAsync(ListQuery query, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        if (!_fastPathEnabled)
        {
            _fallbackReads.Increment();
            return await _store.ListAsync(query, cancellationToken).ConfigureAwait(false);
        }

        cancellationToken.ThrowIfCancellationRequested();
        QueryGuard.Validate(query);
        return _fast.List(query);
    }

    /// <inheritdoc />
    public async Task<PagedResult<SearchHit>> SearchAsync(SearchQuery query, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        if (!_fastPathEnabled)
        {
            _fallbackReads.Increment();
            return await _store.SearchAsync(query, cancellationToken).ConfigureAwait(false);
        }

        cancellationToken.ThrowIfCancellationRequested();
        QueryGuard.Validate(query);
        return _fast.Search(query);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<DocumentVersion>> GetVersionsAsync(long id, CancellationToken cancellationToken = default) =>
        _store.GetVersionsAsync(id, cancellationToken);

    /// <inheritdoc />
    public Task<DocumentVersion?> GetVersionAsync(long id, int version, CancellationToken cancellationToken = default) =>
        _store.GetVersionAsync(id, version, cancellationToken);

    /// <inheritdoc />
    public Task<PagedResult<AuditEntry>> GetAuditLogAsync(AuditQuery query, CancellationToken cancellationToken = default) =>
        _store.GetAuditLogAsync(query, cancellationToken);

    /// <inheritdoc />
    public Task<StoreStatistics> GetStatisticsAsync(CancellationToken cancellationToken = default) =>
        _store.GetStatisticsAsync(cancellationToken);

    /// <inheritdoc />
    public Task OptimizeAsync(bool vacuum = false, CancellationToken cancellationToken = default) =>
        _store.OptimizeAsync(vacuum, cancellationToken);

    /// <inheritdoc />
    public Task CheckpointAsync(CancellationToken cancellationToken = default) =>
        _store.CheckpointAsync(cancellationToken);

    /// <inheritdoc />
    /// <remarks>Cached documents stay valid (the content does not change); pooled readers reopen with the new key.</remarks>
    public Task RotateKeyAsync(EncryptionKey newKey, CancellationToken cancellationToken = default) =>
        _store.RotateKeyAsync(newKey, cancellationToken);

    /// <summary>Loads the given documents into the cache (one query for those not cached).</summary>
    /// <param name="ids">The ids to load.</param>
    /// <param name="cancellationToken">Cancels before loading.</param>
    /// <returns>How many documents were found.</returns>
    public Task<int> WarmCacheAsync(IEnumerable<long> ids, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        cancellationToken.ThrowIfCancellationRequested();
        var wanted = QueryGuard.DistinctIds(ids);
        return Task.FromResult(wanted.Count == 0 ? 0 : _fast.GetMany(wanted).Count);
    }

    /// <summary>Loads the <paramref name="count"/> most-read documents into the cache.</summary>
    /// <param name="count">How many (at most the cache capacity is useful).</param>
    /// <param name="cancellationToken">Cancels between batches.</param>
    /// <returns>How many documents were loaded.</returns>
    public async Task<int> WarmCacheAsync(int count, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var ids = _fast.MostAccessed(count);
        var loaded = 0;
        foreach (var chunk in ids.Chunk(QueryGuard.MaxGetManyIds))
        {
            loaded += await WarmCacheAsync(chunk, cancellationToken).ConfigureAwait(false);
        }

        return loaded;
    }

    /// <summary>Empties the document cache and the result cache.</summary>
    public void ClearCache() => _fast.ClearCache();

    /// <summary>Writes every read recorded so far to the file now, instead of at the next background flush.</summary>
    /// <returns>How many reads were written.</returns>
    public Task<int> FlushAccessTrackingAsync() => _tracker?.FlushAsync() ?? Task.FromResult(0);

    /// <summary>A snapshot of the fast path's counters (also published as <c>DocStore</c> meter instruments).</summary>
    /// <returns>The counters.</returns>
    public FastPathStatistics GetFastPathStatistics()
    {
        var cache = _fast?.Cache;
        var fast = _fast;
        return new FastPathStatistics
        {
            CacheHits = cache?.Hits ?? 0,
            CacheMisses = cache?.Misses ?? 0,
            CacheEvictions = cache?.Evictions ?? 0,
            CacheCount = cache?.Count ?? 0,
            FastReads = fast is null ? 0 : (cache?.Hits ?? 0) + fast.UncachedGets + fast.QueryReads,
            FallbackReads = _fallbackReads.Value,
            ResultCacheHits = fast?.ResultHits ?? 0,
            PoolConnections = fast?.Pool.Created ?? 0,
            PoolSize = Options.PoolSize,
            PoolWaits = fast?.Pool.Waits ?? 0,
            TrackingQueued = _tracker?.Queued ?? 0,
            TrackingFlushed = _tracker?.Flushed ?? 0,
            TrackingDropped = _tracker?.Dropped ?? 0,
        };
    }

    /// <inheritdoc />
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        // Flush pending reads while the writer is still open, then close readers, then the store.
        if (_tracker is not null)
        {
            await _tracker.DisposeAsync().ConfigureAwait(false);
        }

        _store.DocumentChanged -= OnStoreChanged;
        _fast.Dispose();
        await _store.DisposeAsync().ConfigureAwait(false);
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);

    private async ValueTask<Document?> FallbackGetAsync(long id, CancellationToken cancellationToken)
    {
        _fallbackReads.Increment();
        var document = await _store.GetAsync(id, cancellationToken).ConfigureAwait(false);
        if (document is not null)
        {
            _tracker?.Record(document.Id);
        }

        return document;
    }

    private async ValueTask<Document?> FallbackGetByUuidAsync(Guid uuid, CancellationToken cancellationToken)
    {
        _fallbackReads.Increment();
        var document = await _store.GetByUuidAsync(uuid, cancellationToken).ConfigureAwait(false);
        if (document is not null)
        {
            _tracker?.Record(document.Id);
        }

        return document;
    }

    private void OnStoreChanged(object? sender, DocumentChangedEventArgs e)
    {
        _fast.Invalidate(e.Changes);
        ChangeNotifier.Raise(DocumentChanged, this, e, _logger);
    }
}
