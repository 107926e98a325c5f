using BenchmarkDotNet.Attributes;

namespace DocStore.Bench.Micro;

/// <summary>Get by id: cached and uncached through the fast path, against EF Core and a bare prepared reader.</summary>
[MemoryDiagnoser]
public class GetBenchmarks
{
    private MicroStore _store = null!;
    private long _hot;
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        _store = MicroStore.CreateAsync().GetAwaiter().GetResult();
        _hot = _store.Ids[17];
        _store.Optimized.GetAsync(_hot).AsTask().GetAwaiter().GetResult();
    }

    [GlobalCleanup]
    public void Cleanup() => _store.DisposeAsync().AsTask().GetAwaiter().GetResult();

    private long NextId() => _store.Ids[(int)((uint)(_next++ * 7919) % (uint)_store.Ids.Length)];

    [Benchmark]
    public Document? OptimizedCached() => _store.Optimized.GetAsync(_hot).Result;

    [Benchmark]
    public Document? OptimizedUncached() => _store.NoCache.GetAsync(NextId()).Result;

    [Benchmark(Baseline = true)]
    public Document? RawPreparedReader() => _store.Raw.Get(NextId());

    [Benchmark]
    public Document? EfCore() => _store.Ef.GetAsync(NextId()).AsTask().GetAwaiter().GetResult();

    [Benchmark]
    public int OptimizedGetMany10() => _store.Optimized.GetManyAsync([NextId(), NextId(), NextId(), NextId(), NextId(), NextId(), NextId(), NextId(), NextId(), NextId()]).GetAwaiter().GetResult().Count;

    [Benchmark]
    public int EfGetMany10() => _store.Ef.GetManyAsync([NextId(), NextId(), NextId(), NextId(), NextId(), NextId(), NextId(), NextId(), NextId(), NextId()]).GetAwaiter().GetResult().Count;
}
