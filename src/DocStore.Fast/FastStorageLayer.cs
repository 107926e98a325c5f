using System.Diagnostics;
using BitFaster.Caching.Counters;
using DocStore.Fast.Caching;
using DocStore.Fast.Coherence;
using DocStore.Fast.Diagnostics;
using DocStore.Fast.Sql;
using DocStore.Fast.Tracking;
using DocStore.Internal;
using DocStore.Search;
using DocStore.Sql;
using DocStore.Writes;
using System.Data.Common;
using DocStore.Engine;

namespace DocStore.Fast;

/// <summary>
/// The read path's orchestration: L1 (<see cref="DocumentCache"/>), L2 prepared commands on pooled open
/// connections (<see cref="ReadConnectionPool"/>), L3 SQLite's page cache and mmap, the
/// <see cref="ResultCache"/> for repeated list and search queries, and exact access counting
/// (<see cref="AccessCounter"/>). It sees every write around its COMMIT (<see cref="IWriteObserver"/>),
/// which is how the caches stay no older than the database.
/// </summary>
internal sealed class FastStorageLayer : IWriteObserver, IDisposable
{
    // The result cache's key for a listing asked without its total (the same SQL, another result).
    private const string NoTotal = "no-total";

    private readonly DocumentCache? _cache;
    private readonly ResultCache _results;
    private readonly ReadConnectionPool _pool;
    private readonly AccessCounter _counter;
    private readonly IStorageEngine _engine;
    private readonly ICacheCoherence _coherence;
    private readonly FastEngine _fastEngine;
    private readonly FastPathMetrics _metrics;
    private readonly Counter _uncachedGets = new();
    private readonly Counter _queryReads = new();
    private readonly Counter _fallbackReads = new();

    public FastStorageLayer(OptimizedStorageOptions options, IStorageEngine engine, AccessCounter counter, string databasePath)
    {
        _engine = engine;
        _counter = counter;
        _fastEngine = FastEngine.Open(engine, options, databasePath);
        if (options.CacheCapacity > 0)
        {
            _cache = new DocumentCache(options.CacheCapacity, counter);
        }

        _results = new ResultCache(options.ResultCacheEntries);
        _pool = new ReadConnectionPool(_fastEngine.OpenReader, options.PoolSize, options.PoolWaitTimeout);
        _coherence = _fastEngine.StartCoherence(_pool, _cache, _results);
        _metrics = new FastPathMetrics(this, databasePath);
    }

    /// <summary>Test hook: runs after a get read the database and before it offers the row to the cache.</summary>
    internal Action<long>? AfterDatabaseRead { get; set; }

    public DocumentCache? Cache => _cache;

    public ReadConnectionPool Pool => _pool;

    public AccessCounter Counter => _counter;

    public ResultCache Results => _results;

    public ICacheCoherence Coherence => _coherence;

    public FastPathMetrics Metrics => _metrics;

    /// <summary>Gets served from SQLite: cache misses, plus every get when L1 is off.</summary>
    public long UncachedGets => _uncachedGets.Count();

    /// <summary>List and search calls served by the fast path (from the result cache or not).</summary>
    public long QueryReads => _queryReads.Count();

    /// <summary>Reads the facade sent to EF Core because the fast path was off.</summary>
    public Counter FallbackReads => _fallbackReads;

    // This instance's commit under way; only the single writer touches them.
    private long _ownAuditId;
    private long _ownChange;

    public void BeforeCommit(IReadOnlyList<DocumentChange> changes, long lastAuditId, long change)
    {
        _cache?.BeginChange(changes);
        _results.BeginChange();
        _coherence.BeforeOwnCommit();
        _ownAuditId = lastAuditId;
        _ownChange = change;
    }

    public void AfterCommit(IReadOnlyList<DocumentChange> changes, bool committed)
    {
        _cache?.EndChange(changes);
        _results.EndChange();
        _coherence.AfterOwnCommit(committed, _ownAuditId, _ownChange);
    }

    /// <summary>The hit path: a cached document, counted, with no lock, no allocation and no await.</summary>
    public bool TryGetCached(long id, out Document document)
    {
        var started = _metrics.GetDuration.Enabled ? Stopwatch.GetTimestamp() : 0;
        if (_cache is not null && _coherence.IsCurrent && _cache.TryGet(id, out document))
        {
            FastPathMetrics.RecordLatency(_metrics.GetDuration, started);
            return true;
        }

        document = null!;
        return false;
    }

    public bool TryGetCachedByUuid(Guid uuid, out Document document)
    {
        if (_cache is not null && _coherence.IsCurrent && _cache.TryGetByUuid(uuid, out document))
        {
            return true;
        }

        document = null!;
        return false;
    }

    /// <summary>The miss path: reads the document from SQLite and offers it to the cache.</summary>
    public async ValueTask<Document?> LoadAsync(long id, CancellationToken cancellationToken)
    {
        var started = _metrics.GetDuration.Enabled ? Stopwatch.GetTimestamp() : 0;
        if (await CatchUpAsync(cancellationToken).ConfigureAwait(false) && _cache is not null && _cache.TryGet(id, out var cached))
        {
            // Caught up just now (strict coherence does so on every call): the cache serves.
            FastPathMetrics.RecordLatency(_metrics.GetDuration, started);
            return cached;
        }

        var epoch = _cache?.Epoch(id) ?? 0;
        var document = await ReadAsync(id, static (reader, id) => reader.GetById(id), cancellationToken).ConfigureAwait(false);
        _uncachedGets.Increment();
        if (document is not null)
        {
            AfterDatabaseRead?.Invoke(id);
            _cache?.Offer(document, epoch);
            _counter.Record(id);
        }

        FastPathMetrics.RecordLatency(_metrics.GetDuration, started);
        return document;
    }

    public async ValueTask<Document?> LoadByUuidAsync(Guid uuid, CancellationToken cancellationToken)
    {
        await CatchUpAsync(cancellationToken).ConfigureAwait(false);
        var epochs = _cache?.Epochs();
        var document = await ReadAsync(StoredBytes.FromUuid(uuid), static (reader, stored) => reader.GetByUuid(stored), cancellationToken).ConfigureAwait(false);
        _uncachedGets.Increment();
        if (document is not null)
        {
            AfterDatabaseRead?.Invoke(document.Id);
            _cache?.Offer(document, epochs![DocumentCache.Stripe(document.Id)]);
            _cache?.MapUuid(document);
            _counter.Record(document.Id);
        }

        return document;
    }

    /// <summary>Several documents: hits from L1, the rest in one query. Warm-up passes <paramref name="countReads"/> false.</summary>
    public async Task<IReadOnlyList<Document>> GetManyAsync(List<long> ids, bool countReads, CancellationToken cancellationToken)
    {
        await CatchUpAsync(cancellationToken).ConfigureAwait(false);
        var found = new Dictionary<long, Document>(ids.Count);
        List<long>? missing = null;
        foreach (var id in ids)
        {
            if (_cache is not null && (countReads ? _cache.TryGet(id, out var cached) : _cache.TryPeek(id, out cached)))
            {
                found[id] = cached;
            }
            else
            {
                (missing ??= []).Add(id);
            }
        }

        if (missing is not null)
        {
            var epochs = _cache?.Epochs();
            var loaded = await ReadAsync(missing, static (reader, missing) =>
            {
                var sink = new Dictionary<long, Document>();
                reader.GetMany(missing, sink);
                return sink;
            }, cancellationToken).ConfigureAwait(false);
            _uncachedGets.Add(missing.Count);
            foreach (var document in loaded.Values)
            {
                _cache?.Offer(document, epochs![DocumentCache.Stripe(document.Id)]);
                found[document.Id] = document;
                if (countReads)
                {
                    _counter.Record(document.Id);
                }
            }
        }

        var result = new List<Document>(found.Count);
        foreach (var id in ids)
        {
            if (found.TryGetValue(id, out var document))
            {
                result.Add(document);
            }
        }

        return result;
    }

    public async Task<PagedResult<Document>> ListAsync(ListQuery query, CancellationToken cancellationToken)
    {
        var started = _metrics.ListDuration.Enabled ? Stopwatch.GetTimestamp() : 0;
        _queryReads.Increment();
        await CatchUpAsync(cancellationToken).ConfigureAwait(false);
        var sql = _fastEngine.BuildList(query);
        var result = await _results.GetOrRunAsync(
            sql,
            query.OrderBy == DocumentOrder.AccessCount,
            query.IncludeTotal ? [] : [NoTotal],
            () => ReadAsync((sql, query), static (reader, state) => reader.InSnapshot(r =>
            {
                var total = state.query.IncludeTotal ? r.Count(state.sql.CountSql, state.sql.Arguments) : -1;
                var items = total == 0 ? [] : r.Read(state.sql.PageSql, state.sql.Arguments, DocumentColumns.Read);
                return new PagedResult<Document>(items.AsReadOnly(), total, state.query.Page, state.query.PageSize);
            }), cancellationToken)).ConfigureAwait(false);
        FastPathMetrics.RecordLatency(_metrics.ListDuration, started);
        return result;
    }

    public async Task<PagedResult<SearchHit>> SearchAsync(SearchQuery query, CancellationToken cancellationToken)
    {
        var started = _metrics.SearchDuration.Enabled ? Stopwatch.GetTimestamp() : 0;
        _queryReads.Increment();
        var sql = _engine.BuildSearch(query);
        await CatchUpAsync(cancellationToken).ConfigureAwait(false);
        var result = await _results.GetOrRunAsync(
            sql.Sql,
            false,
            [query.HighlightStart ?? string.Empty, query.HighlightEnd ?? string.Empty],
            () => ReadAsync(
                (sql, query, cancellationToken),
                static (reader, state) => reader.InSnapshot(r => SearchRunner.Run(r, r.Workspace, state.query, state.sql, state.cancellationToken)),
                cancellationToken,
                query)).ConfigureAwait(false);
        FastPathMetrics.RecordLatency(_metrics.SearchDuration, started);
        return result;
    }

    /// <summary>Ids of the most-read documents, for warming the cache.</summary>
    public ValueTask<List<long>> MostAccessedAsync(int count, CancellationToken cancellationToken) =>
        ReadAsync(count, static (reader, count) => reader.MostAccessed(count), cancellationToken);

    /// <summary>Runs one scalar query through the same pooled-reader pipeline as every fast read (tests use it with statements that never end).</summary>
    internal ValueTask<long> ScalarForTestsAsync(string sql, CancellationToken cancellationToken) =>
        ReadAsync(sql, static (reader, sql) => reader.Count(sql, []), cancellationToken);

    public void ClearCache()
    {
        _cache?.Clear();
        _results.Invalidate();
    }

    public void Dispose()
    {
        _coherence.Dispose();
        _pool.Dispose();
        _metrics.Dispose();
    }

    /// <summary>
    /// Brings the caches up to date first when anyone (another instance included) committed since they last were, or
    /// their last confirmation is too old; true when it caught up just now, so the caches may serve this call.
    /// </summary>
    private ValueTask<bool> CatchUpAsync(CancellationToken cancellationToken) =>
        _coherence.IsCurrent ? ValueTask.FromResult(false) : RefreshAsync(cancellationToken);

    private ValueTask<bool> RefreshAsync(CancellationToken cancellationToken) =>
        CoherenceAsync(static (coherence, _, token) => coherence.RefreshAsync(token), 0, cancellationToken);

    /// <summary>
    /// Runs one of the coherence's own reads (the change head, the log): retried once when the server restarted under
    /// its connection, and failing as typed as the caller's read would.
    /// </summary>
    private async ValueTask<bool> CoherenceAsync(Func<ICacheCoherence, long, CancellationToken, ValueTask<bool>> call, long head, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await call(_coherence, head, cancellationToken).ConfigureAwait(false);
            }
            catch (DbException e) when (attempt == 0 && ConnectionLost(e))
            {
            }
            catch (DbException e) when (_engine.Translate(e, "Reading", cancellationToken) is { } typed)
            {
                throw typed;
            }
        }
    }

    /// <summary>A server restart broke <paramref name="error"/>'s connection, and with it every idle one: they are dropped.</summary>
    private bool ConnectionLost(DbException error)
    {
        if (!_engine.ConnectionLost(error))
        {
            return false;
        }

        _pool.CloseIdle();
        return true;
    }

    /// <summary>
    /// Runs <paramref name="read"/> on a pooled reader: rented at once when one is free (no await then),
    /// cancellation interrupting a running statement, SQLite errors translated.
    /// </summary>
    private async ValueTask<T> ReadAsync<TState, T>(TState state, Func<IFastReader, TState, T> read, CancellationToken cancellationToken, SearchQuery? search = null)
    {
        cancellationToken.ThrowIfCancellationRequested();
        T result;
        long head;
        for (var attempt = 0; ; attempt++)
        {
            var reader = _pool.TryRent() ?? await _pool.RentAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                using var interrupt = _engine.InterruptOnCancel(reader.Connection, cancellationToken);
                result = read(reader, state);
                head = reader.LastHead;
                break;
            }
            catch (DbException e) when (attempt == 0 && ConnectionLost(e))
            {
                // A read changes nothing, so it runs once more, on a new connection (the pool closes this broken one).
            }
            catch (DbException e) when ((search is null ? _engine.Translate(e, "Reading", cancellationToken) : _engine.TranslateSearch(e, search, cancellationToken)) is { } typed)
            {
                throw typed;
            }
            finally
            {
                _pool.Return(reader);
            }
        }

        // A read whose snapshot saw commits the caches have not: they catch up before the caller reads on.
        if (head != 0)
        {
            await CoherenceAsync(static async (coherence, head, token) =>
            {
                await coherence.SeenAsync(head, token).ConfigureAwait(false);
                return true;
            }, head, cancellationToken).ConfigureAwait(false);
        }

        return result;
    }
}
