using System.Diagnostics;
using System.Text;
using DocStore.Fast.Caching;
using DocStore.Fast.Diagnostics;
using DocStore.Fast.Internal;
using DocStore.Fast.Sql;
using DocStore.Fast.Tracking;
using DocStore.Internal;
using DocStore.Sql;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Caching.Memory;

namespace DocStore.Fast;

/// <summary>
/// The read path: L1 <see cref="ConcurrentLru{TKey,TValue}"/> of immutable documents, L2 prepared
/// commands on pooled open connections, L3 SQLite's page cache and mmap, a result cache for
/// repeated list and search queries, and access tracking that never makes a read write.
/// </summary>
/// <remarks>
/// Stale repopulation (a reader reads v1, a writer commits v2 and invalidates, the reader then
/// caches v1) is prevented by epochs: every invalidation bumps the epoch of the id's stripe under
/// the stripe's lock, and a reader caches what it read only if, under the same lock, the epoch is
/// still the one it saw before going to the database. Hits take no lock.
/// </remarks>
internal sealed class FastStorageLayer : IDisposable
{
    private const int EpochStripes = 64;

    private readonly ConcurrentLru<long, Document>? _cache;
    private readonly ConcurrentLru<Guid, long>? _uuidToId;
    private readonly ReadConnectionPool _pool;
    private readonly AccessTracker? _tracker;
    private readonly MemoryCache? _results;
    private readonly FastPathMetrics _metrics;
    private readonly long[] _epochs = new long[EpochStripes];
    private readonly Lock[] _stripeLocks = Enumerable.Range(0, EpochStripes).Select(_ => new Lock()).ToArray();
    private readonly StripedCounter _queryReads = new();
    private readonly StripedCounter _resultHits = new();
    private readonly StripedCounter _uncachedGets = new();
    private long _generation;

    public FastStorageLayer(OptimizedStorageOptions options, ReadConnectionSettings settings, AccessTracker? tracker, Func<FastPathStatistics> statistics, string databasePath)
    {
        if (options.CacheCapacity > 0)
        {
            _cache = new ConcurrentLru<long, Document>(Math.Max(3, options.CacheCapacity));
            _uuidToId = new ConcurrentLru<Guid, long>(Math.Max(3, options.CacheCapacity));
        }

        if (options.ResultCacheEntries > 0)
        {
            _results = new MemoryCache(new MemoryCacheOptions { SizeLimit = options.ResultCacheEntries });
        }

        _pool = new ReadConnectionPool(settings, options.PoolSize, options.PoolWaitTimeout);
        _tracker = tracker;
        _metrics = new FastPathMetrics(statistics, databasePath);
    }

    /// <summary>Test hook: runs after a get read the database and before it offers the row to the cache.</summary>
    internal Action<long>? AfterDatabaseRead { get; set; }

    internal ConcurrentLru<long, Document>? Cache => _cache;

    internal ReadConnectionPool Pool => _pool;

    internal long QueryReads => _queryReads.Value;

    internal long ResultHits => _resultHits.Value;

    /// <summary>Gets served from SQLite: cache misses, plus every get when L1 is off.</summary>
    internal long UncachedGets => _uncachedGets.Value;

    /// <summary>Called on every committed write, before the write's call returns.</summary>
    public void Invalidate(IReadOnlyList<DocumentChange> changes)
    {
        foreach (var change in changes)
        {
            var stripe = Stripe(change.Id);
            lock (_stripeLocks[stripe])
            {
                _epochs[stripe]++;
                _cache?.TryRemove(change.Id);
            }
        }

        Interlocked.Increment(ref _generation);
    }

    public Document? Get(long id)
    {
        var started = _metrics.GetDuration.Enabled ? Stopwatch.GetTimestamp() : 0;
        if (_cache is not null && _cache.TryGet(id, out var cached))
        {
            _tracker?.Record(id);
            RecordLatency(_metrics.GetDuration, started);
            return cached;
        }

        var epoch = Volatile.Read(ref _epochs[Stripe(id)]);
        // Static lambda with explicit state: a lambda capturing 'id' would make C# allocate its closure
        // at method entry, on the hit path too (24 B per hit, caught by AllocationTest).
        var document = WithReader(id, static (reader, id) => reader.GetById(id));
        _uncachedGets.Increment();
        if (document is not null)
        {
            Offer(document, epoch);
            _tracker?.Record(id);
        }

        RecordLatency(_metrics.GetDuration, started);
        return document;
    }

    public Document? GetByUuid(Guid uuid)
    {
        if (_uuidToId is not null && _uuidToId.TryGet(uuid, out var knownId) && _cache!.TryGet(knownId, out var cached) && cached.Uuid == uuid)
        {
            _tracker?.Record(knownId);
            return cached;
        }

        var text = UuidText.Format(uuid);
        var epochs = SnapshotEpochs();
        var document = WithReader(text, static (reader, text) => reader.GetByUuid(text));
        _uncachedGets.Increment();
        if (document is not null)
        {
            Offer(document, epochs[Stripe(document.Id)]);
            _uuidToId?.AddOrUpdate(uuid, document.Id);
            _tracker?.Record(document.Id);
        }

        return document;
    }

    public IReadOnlyList<Document> GetMany(List<long> ids)
    {
        var found = new Dictionary<long, Document>(ids.Count);
        List<long>? missing = null;
        foreach (var id in ids)
        {
            if (_cache is not null && _cache.TryGet(id, out var cached))
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
            var epochs = SnapshotEpochs();
            var json = new StringBuilder(missing.Count * 8).Append('[').AppendJoin(',', missing).Append(']').ToString();
            var loaded = new Dictionary<long, Document>(missing.Count);
            WithReader(reader =>
            {
                reader.GetMany(json, loaded);
                return 0;
            });
            _uncachedGets.Add(missing.Count);
            foreach (var document in loaded.Values)
            {
                Offer(document, epochs[Stripe(document.Id)]);
                found[document.Id] = document;
            }
        }

        var result = new List<Document>(found.Count);
        foreach (var id in ids)
        {
            if (found.TryGetValue(id, out var document))
            {
                result.Add(document);
                _tracker?.Record(id);
            }
        }

        return result;
    }

    public PagedResult<Document> List(ListQuery query)
    {
        var started = _metrics.ListDuration.Enabled ? Stopwatch.GetTimestamp() : 0;
        var sql = QuerySql.List(query);
        var result = Cached(sql, () => WithReader(reader =>
        {
            var total = reader.Count(sql.CountSql, sql.Arguments);
            var items = total == 0 ? [] : reader.Read(sql.PageSql, sql.Arguments, DocumentMapper.FromRow);
            return new PagedResult<Document>(items.AsReadOnly(), total, query.Page, query.PageSize);
        }));
        RecordLatency(_metrics.ListDuration, started);
        return result;
    }

    public PagedResult<SearchHit> Search(SearchQuery query)
    {
        var started = _metrics.SearchDuration.Enabled ? Stopwatch.GetTimestamp() : 0;
        var sql = QuerySql.Search(query, FtsQuery.Build(query));
        try
        {
            var result = Cached(sql, () => WithReader(reader =>
            {
                var total = reader.Count(sql.CountSql, sql.Arguments);
                var hits = total == 0 ? [] : reader.Read(sql.PageSql, sql.Arguments, SqlCommands.ReadSearchHit);
                return new PagedResult<SearchHit>(hits.AsReadOnly(), total, query.Page, query.PageSize);
            }));
            RecordLatency(_metrics.SearchDuration, started);
            return result;
        }
        catch (StorageException e) when (e.InnerException is SqliteException s && SqlCommands.AsInvalidSearch(s) is { } invalid)
        {
            throw invalid;
        }
    }

    /// <summary>Ids of the most-read documents, for warming the cache.</summary>
    public List<long> MostAccessed(int count) => WithReader(reader =>
        reader.Read(
            "SELECT id FROM documents WHERE status <> 3 ORDER BY access_count DESC, id LIMIT $n",
            [new SqlArgument("$n", (long)count)],
            r => r.GetInt64(0)));

    public void ClearCache()
    {
        for (var stripe = 0; stripe < EpochStripes; stripe++)
        {
            lock (_stripeLocks[stripe])
            {
                _epochs[stripe]++;
            }
        }

        _cache?.Clear();
        _uuidToId?.Clear();
        Interlocked.Increment(ref _generation);
    }

    public void Dispose()
    {
        _pool.Dispose();
        _results?.Dispose();
        _metrics.Dispose();
    }

    private static int Stripe(long id) => (int)((ulong)id % EpochStripes);

    private static void RecordLatency(System.Diagnostics.Metrics.Histogram<double> histogram, long started)
    {
        if (started != 0)
        {
            histogram.Record(Stopwatch.GetElapsedTime(started).TotalMicroseconds);
        }
    }

    private long[] SnapshotEpochs()
    {
        var epochs = new long[EpochStripes];
        for (var i = 0; i < EpochStripes; i++)
        {
            epochs[i] = Volatile.Read(ref _epochs[i]);
        }

        return epochs;
    }

    /// <summary>Caches a document read from the database, unless its stripe was invalidated since <paramref name="epoch"/> was read.</summary>
    private void Offer(Document document, long epoch)
    {
        AfterDatabaseRead?.Invoke(document.Id);
        if (_cache is null)
        {
            return;
        }

        var stripe = Stripe(document.Id);
        lock (_stripeLocks[stripe])
        {
            if (_epochs[stripe] == epoch)
            {
                _cache.AddOrUpdate(document.Id, document);
            }
        }
    }

    private T Cached<T>(QueryText sql, Func<T> run)
        where T : class
    {
        _queryReads.Increment();
        if (_results is null)
        {
            return run();
        }

        // The generation is read before the query: a write committing meanwhile bumps it, so this result lands under a key no later reader asks for.
        var generation = Volatile.Read(ref _generation);
        var key = ResultKey(generation, sql);
        if (_results.TryGetValue(key, out var hit) && hit is T result)
        {
            _resultHits.Increment();
            return result;
        }

        result = run();
        _results.Set(key, result, new MemoryCacheEntryOptions { Size = 1 });
        return result;
    }

    private static string ResultKey(long generation, QueryText sql)
    {
        var key = new StringBuilder(sql.PageSql.Length + 64).Append(generation).Append('\u001f').Append(sql.PageSql);
        foreach (var argument in sql.Arguments)
        {
            key.Append('\u001f').Append(argument.Name).Append('=').Append(argument.Value);
        }

        return key.ToString();
    }

    private T WithReader<T>(Func<PooledReader, T> read) =>
        WithReader(read, static (reader, read) => read(reader));

    private T WithReader<TState, T>(TState state, Func<PooledReader, TState, T> read)
    {
        var reader = _pool.Rent();
        try
        {
            return read(reader, state);
        }
        catch (SqliteException e)
        {
            throw new StorageException("Reading failed: " + e.Message, e.SqliteErrorCode, e);
        }
        finally
        {
            _pool.Return(reader);
        }
    }
}
