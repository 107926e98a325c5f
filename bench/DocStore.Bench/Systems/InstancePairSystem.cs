using System.Diagnostics;
using DocStore.Bench.Workloads;
using DocStore.Fast;

namespace DocStore.Bench.Systems;

/// <summary>
/// Two fast-path instances on one PostgreSQL database, the calling threads split between them (two app servers behind
/// a load balancer), and optionally a third instance updating zipfian documents at a fixed rate: what keeping every
/// instance's cache coherent costs the readers when another instance writes. Gets only. The writer can also write to a
/// database of its own on the same server: the same load on the machine (here all three instances and the server
/// share two cores), with nothing for the readers to keep coherent; the two writer cells then part what writing costs
/// the machine from what coherence costs the readers.
/// </summary>
public sealed class InstancePairSystem : IBenchSystem
{
    private readonly OptimizedStorageSystem[] _readers;
    private readonly ThreadLocal<int> _reader;
    private readonly LocalStorageSystem? _writer;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _writing = Task.CompletedTask;
    private readonly Stopwatch _writeClock = new();
    private readonly string? _ownDatabase;
    private readonly string _server;
    private int _threads;
    private long _writes;

    public InstancePairSystem(string name, string connectionString, long[] ids, int writesPerSecond, bool writeElsewhere = false)
    {
        Name = name;
        _server = new Npgsql.NpgsqlConnectionStringBuilder(connectionString) { Database = "postgres" }.ConnectionString;
        _readers = [Open(connectionString), Open(connectionString)];
        _reader = new ThreadLocal<int>(() => Interlocked.Increment(ref _threads) % _readers.Length);
        if (writesPerSecond > 0)
        {
            var target = connectionString;
            if (writeElsewhere)
            {
                _ownDatabase = "docstore_bench_w_" + Guid.NewGuid().ToString("N")[..8];
                Admin($"CREATE DATABASE {_ownDatabase}");
                target = new Npgsql.NpgsqlConnectionStringBuilder(connectionString) { Database = _ownDatabase }.ConnectionString;
            }

            _writer = new LocalStorageSystem(new DocStoreOptions { Engine = DocStoreEngine.PostgreSql, ConnectionString = target, ActorProvider = () => "bench-writer" });
            if (writeElsewhere)
            {
                ids = [.. _writer.CreateManyAsync([.. Enumerable.Range(0, 2_000).Select(i => new NewDocument { Title = $"writer {i}", Type = "note", Content = "text of the writer's own database " + i })])
                    .GetAwaiter().GetResult().Select(d => d.Id)];
            }

            // Its first writes build EF Core's model and compile the code: done before the cell starts, not during it.
            for (var i = 0; i < 20; i++)
            {
                _writer.UpdateAsync(ids[i], new DocumentUpdate { Metadata = "{\"warm\":" + i + "}" }).GetAwaiter().GetResult();
            }

            _writing = Task.Run(() => WriteAsync(ids, writesPerSecond));
        }
    }

    public string Name { get; }

    public bool Supports(string workload) => workload.StartsWith("get-zipf", StringComparison.Ordinal);

    public Document? Get(long id)
    {
        var pending = _readers[_reader.Value].GetAsync(id);
        return pending.IsCompletedSuccessfully ? pending.Result : pending.AsTask().GetAwaiter().GetResult();
    }

    public void ClearCache()
    {
        foreach (var reader in _readers)
        {
            reader.ClearCache();
        }
    }

    /// <summary>The readers' cache hit ratio, and the writer's achieved rate.</summary>
    public string Note()
    {
        var (hits, misses) = (_readers.Sum(r => r.GetFastPathStatistics().CacheHits), _readers.Sum(r => r.GetFastPathStatistics().CacheMisses));
        var note = $"2 reader instances, L1 hits {(double)hits / Math.Max(1, hits + misses):P1}";
        return _writer is null ? note : note + $"; a third instance updated {Interlocked.Read(ref _writes) / Math.Max(_writeClock.Elapsed.TotalSeconds, 0.001):N0} documents/s{(_ownDatabase is null ? " of theirs" : " in a database of its own")}";
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _writing;
        _writer?.Dispose();
        foreach (var reader in _readers)
        {
            await reader.DisposeAsync();
        }

        _reader.Dispose();
        _stop.Dispose();
        if (_ownDatabase is not null)
        {
            Admin($"DROP DATABASE IF EXISTS {_ownDatabase} WITH (FORCE)");
        }
    }

    private void Admin(string sql) => BenchDatabase.AdminPostgres(_server, sql);

    private static OptimizedStorageSystem Open(string connectionString) => new(new OptimizedStorageOptions
    {
        Engine = DocStoreEngine.PostgreSql,
        ConnectionString = connectionString,
        ActorProvider = () => "bench",
    });

    /// <summary>Updates of zipfian documents (the ones the readers hold), paced to the rate by the clock.</summary>
    private async Task WriteAsync(long[] ids, int perSecond)
    {
        var zipf = new ScrambledZipfian(ids.Length);
        var random = new Random(17);
        _writeClock.Start();
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var metadata = "{\"writer\":" + random.Next().ToString(System.Globalization.CultureInfo.InvariantCulture) + "}";
                await _writer!.UpdateAsync(ids[zipf.Next(random)], new DocumentUpdate { Metadata = metadata }, _stop.Token);
                var due = TimeSpan.FromSeconds((double)Interlocked.Increment(ref _writes) / perSecond) - _writeClock.Elapsed;
                if (due > TimeSpan.Zero)
                {
                    await Task.Delay(due, _stop.Token);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped with the cell.
        }

        _writeClock.Stop();
    }
}
