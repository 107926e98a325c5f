using DocStore.Fast.Diagnostics;
using DocStore.Fast.Sql;
using DocStore.Fast.Tracking;
using DocStore.Internal;
using DocStore.Sql;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace DocStore.Fast;

/// <summary>
/// The store an application holds: the same <see cref="IDocumentStore"/> API as
/// <see cref="LocalStorageSystem"/>, whose write path does every write, while reads are served by
/// the fast path (L1 cache, prepared commands on pooled connections, SQLite's page cache).
/// </summary>
/// <remarks>
/// <para>Reads are linearizable per document in the process: once any read has returned version n of a
/// document, no read that starts later returns an older version, and once a write's call has returned,
/// every read that starts later sees it. Switching <see cref="FastPathEnabled"/> off sends every read
/// through EF Core again, with identical results.</para>
/// <para>Access counts are exact and written in the background (at most
/// <see cref="OptimizedStorageOptions.TrackingFlushInterval"/> late); a document served from the cache
/// shows the <see cref="Document.AccessCount"/> and <see cref="Document.LastAccessedAt"/> it had when it
/// was loaded, until a write to it or an eviction makes the next read load it again.</para>
/// </remarks>
public sealed class OptimizedStorageSystem : IDocumentStore
{
    private readonly LocalStorageSystem _store;
    private readonly FastStorageLayer _fast;
    private readonly AccessCounter _counter;
    private readonly ILogger _logger;
    private volatile bool _fastPathEnabled;
    private int _disposed;

    /// <summary>Opens (creating if needed) the store and its fast path.</summary>
    /// <param name="options">The settings.</param>
    /// <exception cref="ArgumentException">An option is out of range (the message names it).</exception>
    public OptimizedStorageSystem(OptimizedStorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        _store = new LocalStorageSystem(options);
        try
        {
            _logger = options.LoggerFactory?.CreateLogger<OptimizedStorageSystem>() ?? (ILogger)NullLogger.Instance;
            _counter = new AccessCounter(options.EnableAccessTracking, options.TrackingFlushInterval, _store.ApplyAccessUpdatesAsync, _logger);

            _fast = new FastStorageLayer(options, _store.Engine, _counter, _store.DatabasePath);
        }
        catch
        {
            _store.Dispose();
            throw;
        }

        _fastPathEnabled = options.EnableFastPath;
        _store.WriteObserver = _fast;
        _store.AddQuiesceHook(_fast.Pool.SuspendAsync, _fast.Pool.Resume);
        _store.DocumentChanged += OnStoreChanged;
        _counter.BeforeWrite = _fast.Results.BeginAccessChange;
        _counter.AfterWrite = () =>
        {
            _fast.Results.EndAccessChange();
            _fast.Coherence.TryRefreshNow();
        };
        _counter.Start();
    }

    /// <inheritdoc />
    public event EventHandler<DocumentChangedEventArgs>? DocumentChanged;

    /// <summary>The settings the store was opened with.</summary>
    public OptimizedStorageOptions Options { get; }

    /// <summary>Whether reads use the fast path. Safe to switch at any time, from any thread.</summary>
    public bool FastPathEnabled
    {
        get => _fastPathEnabled;
        set => _fastPathEnabled = value;
    }

    /// <summary>Where the store lives: the database file's absolute path, or <c>postgresql://host:port/database</c>.</summary>
    public string DatabasePath => _store.DatabasePath;

    /// <summary>The write path underneath (writes, history, audit, and reads while the fast path is off).</summary>
    internal LocalStorageSystem Inner => _store;

    internal FastStorageLayer FastLayer => _fast;

    /// <inheritdoc />
    public Task<Document> CreateAsync(NewDocument document, CancellationToken cancellationToken = default) =>
        Open.CreateAsync(document, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<Document>> CreateManyAsync(IEnumerable<NewDocument> documents, CancellationToken cancellationToken = default) =>
        Open.CreateManyAsync(documents, cancellationToken);

    /// <inheritdoc />
    public Task<ImportResult> ImportAsync(IAsyncEnumerable<NewDocument> documents, ImportOptions? options = null, CancellationToken cancellationToken = default) =>
        Open.ImportAsync(documents, options, cancellationToken);

    /// <inheritdoc />
    public Task<Document> UpdateAsync(long id, DocumentUpdate update, CancellationToken cancellationToken = default) =>
        Open.UpdateAsync(id, update, cancellationToken);

    /// <inheritdoc />
    public Task<bool> DeleteAsync(long id, DeleteMode mode = DeleteMode.Soft, CancellationToken cancellationToken = default) =>
        Open.DeleteAsync(id, mode, cancellationToken);

    /// <inheritdoc />
    public Task<Document> RestoreVersionAsync(long id, int version, CancellationToken cancellationToken = default) =>
        Open.RestoreVersionAsync(id, version, cancellationToken);

    /// <inheritdoc />
    public ValueTask<Document?> GetAsync(long id, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<Document?>(cancellationToken);
        }

        if (!_fastPathEnabled)
        {
            return FallbackAsync(id, static (store, id, ct) => store.GetAsync(id, ct), cancellationToken);
        }

        // A hit completes without a Task, a lock or an allocation; Microsoft.Data.Sqlite runs synchronously anyway.
        return _fast.TryGetCached(id, out var cached) ? new ValueTask<Document?>(cached) : _fast.LoadAsync(id, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<Document?> GetByUuidAsync(Guid uuid, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<Document?>(cancellationToken);
        }

        if (!_fastPathEnabled)
        {
            return FallbackAsync(uuid, static (store, uuid, ct) => store.GetByUuidAsync(uuid, ct), cancellationToken);
        }

        return _fast.TryGetCachedByUuid(uuid, out var cached) ? new ValueTask<Document?>(cached) : _fast.LoadByUuidAsync(uuid, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<Document>> GetManyAsync(IEnumerable<long> ids, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        if (!_fastPathEnabled)
        {
            _fast.FallbackReads.Increment();
            var documents = await _store.GetManyAsync(ids, cancellationToken).ConfigureAwait(false);
            foreach (var document in documents)
            {
                _counter.Record(document.Id);
            }

            return documents;
        }

        cancellationToken.ThrowIfCancellationRequested();
        var wanted = QueryGuard.DistinctIds(ids);
        return wanted.Count == 0 ? [] : await _fast.GetManyAsync(wanted, countReads: true, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public Task<PagedResult<Document>> ListAsync(ListQuery query, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        if (!_fastPathEnabled)
        {
            _fast.FallbackReads.Increment();
            return _store.ListAsync(query, cancellationToken);
        }

        QueryGuard.Validate(query);
        return _fast.ListAsync(query, cancellationToken);
    }

    /// <inheritdoc />
    public Task<PagedResult<SearchHit>> SearchAsync(SearchQuery query, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        if (!_fastPathEnabled)
        {
            _fast.FallbackReads.Increment();
            return _store.SearchAsync(query, cancellationToken);
        }

        QueryGuard.Validate(query);
        return _fast.SearchAsync(query, cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<DocumentVersion>> GetVersionsAsync(long id, CancellationToken cancellationToken = default) =>
        Open.GetVersionsAsync(id, cancellationToken);

    /// <inheritdoc />
    public Task<DocumentVersion?> GetVersionAsync(long id, int version, CancellationToken cancellationToken = default) =>
        Open.GetVersionAsync(id, version, cancellationToken);

    /// <inheritdoc />
    public Task<PagedResult<AuditEntry>> GetAuditLogAsync(AuditQuery query, CancellationToken cancellationToken = default) =>
        Open.GetAuditLogAsync(query, cancellationToken);

    /// <inheritdoc />
    public Task<StoreStatistics> GetStatisticsAsync(CancellationToken cancellationToken = default) =>
        Open.GetStatisticsAsync(cancellationToken);

    /// <inheritdoc />
    public Task OptimizeAsync(bool vacuum = false, CancellationToken cancellationToken = default) =>
        Open.OptimizeAsync(vacuum, cancellationToken);

    /// <inheritdoc />
    public Task CheckpointAsync(CancellationToken cancellationToken = default) =>
        Open.CheckpointAsync(cancellationToken);

    /// <inheritdoc />
    public Task BackupAsync(string destinationPath, CancellationToken cancellationToken = default) =>
        Open.BackupAsync(destinationPath, cancellationToken);

    /// <inheritdoc />
    public Task<VerificationReport> VerifyAsync(CancellationToken cancellationToken = default) =>
        Open.VerifyAsync(cancellationToken);

    /// <inheritdoc />
    /// <remarks>Cached documents stay valid (the content does not change); pooled readers reopen with the new key.</remarks>
    public Task RotateKeyAsync(EncryptionKey newKey, CancellationToken cancellationToken = default) =>
        Open.RotateKeyAsync(newKey, cancellationToken);

    /// <summary>Loads the given documents into the cache (one query for those not cached). Loading is not counted as reading.</summary>
    /// <param name="ids">The ids to load.</param>
    /// <param name="cancellationToken">Cancels the load.</param>
    /// <returns>How many documents were found.</returns>
    public async Task<int> WarmCacheAsync(IEnumerable<long> ids, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        cancellationToken.ThrowIfCancellationRequested();
        var wanted = QueryGuard.DistinctIds(ids);
        return wanted.Count == 0 ? 0 : (await _fast.GetManyAsync(wanted, countReads: false, cancellationToken).ConfigureAwait(false)).Count;
    }

    /// <summary>Loads the <paramref name="count"/> most-read documents into the cache. Loading is not counted as reading.</summary>
    /// <param name="count">How many (at most the cache capacity is useful).</param>
    /// <param name="cancellationToken">Cancels between batches.</param>
    /// <returns>How many documents were loaded.</returns>
    public async Task<int> WarmMostReadAsync(int count, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var ids = await _fast.MostAccessedAsync(count, cancellationToken).ConfigureAwait(false);
        var loaded = 0;
        foreach (var chunk in ids.Chunk(QueryGuard.MaxGetManyIds))
        {
            loaded += await WarmCacheAsync(chunk, cancellationToken).ConfigureAwait(false);
        }

        return loaded;
    }

    /// <summary>Empties the document cache and the result cache.</summary>
    public void ClearCache() => _fast.ClearCache();

    /// <summary>Writes every read counted so far to the file now, instead of at the next background write.</summary>
    /// <returns>How many reads were written.</returns>
    public Task<long> FlushAccessTrackingAsync() => _counter.FlushAsync();

    /// <summary>A snapshot of the fast path's counters (also published as <c>DocStore</c> meter instruments).</summary>
    /// <returns>The counters.</returns>
    public FastPathStatistics GetFastPathStatistics()
    {
        var cache = _fast.Cache;
        return new FastPathStatistics
        {
            CacheHits = cache?.Hits ?? 0,
            CacheMisses = cache?.Misses ?? 0,
            CacheEvictions = cache?.Evictions ?? 0,
            CacheCount = cache?.Count ?? 0,
            FastReads = FastPathMetrics.FastReads(_fast),
            FallbackReads = _fast.FallbackReads.Count(),
            ResultCacheHits = _fast.Results.Hits,
            PoolConnections = _fast.Pool.Open,
            PoolSize = _fast.Pool.MaxSize,
            PoolWaits = _fast.Pool.Waits,
            CoherenceRefreshes = _fast.Coherence.Refreshes,
            TrackingPending = _counter.Pending,
            TrackingFlushed = _counter.Flushed,
            TrackingFailedFlushes = _counter.FailedFlushes,
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

        // New calls now throw. Pending counts are written while the writer is open; the store then lets the
        // writes already queued commit (their commits still close and reopen the fast path's caches, so the
        // fast path closes last); reads in flight finish on the connections they hold, which close on return.
        await _counter.DisposeAsync().ConfigureAwait(false);
        await _store.DisposeAsync().ConfigureAwait(false);
        _store.DocumentChanged -= OnStoreChanged;
        _fast.Dispose();
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);

    /// <summary>The store underneath, for a call that only delegates to it: throws once dispose began (the store itself closes later).</summary>
    private LocalStorageSystem Open
    {
        get
        {
            ThrowIfDisposed();
            return _store;
        }
    }

    /// <summary>A get through EF Core while the fast path is off; the read is counted like any other.</summary>
    private async ValueTask<Document?> FallbackAsync<TKey>(TKey key, Func<LocalStorageSystem, TKey, CancellationToken, ValueTask<Document?>> get, CancellationToken cancellationToken)
    {
        _fast.FallbackReads.Increment();
        var document = await get(_store, key, cancellationToken).ConfigureAwait(false);
        if (document is not null)
        {
            _counter.Record(document.Id);
        }

        return document;
    }

    private void OnStoreChanged(object? sender, DocumentChangedEventArgs e) =>
        ChangeNotifier.Raise(DocumentChanged, this, e, _logger);
}
