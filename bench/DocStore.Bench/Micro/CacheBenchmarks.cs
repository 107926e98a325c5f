using System.Collections.Concurrent;
using BenchmarkDotNet.Attributes;
using DocStore.Fast.Caching;
using Microsoft.Extensions.Caching.Memory;

namespace DocStore.Bench.Micro;

/// <summary>L1 lookups: our ConcurrentLru against MemoryCache, with a bare ConcurrentDictionary as the baseline.</summary>
[MemoryDiagnoser]
public class CacheBenchmarks
{
    private const int Items = 10_000;
    private readonly ConcurrentDictionary<long, object> _dictionary = new();
    private readonly ConcurrentLru<long, object> _lru = new(Items);
    private readonly MemoryCache _memoryCache = new(new MemoryCacheOptions());
    private long[] _keys = [];
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(1);
        _keys = Enumerable.Range(0, 4096).Select(_ => (long)random.Next(Items)).ToArray();
        for (long i = 0; i < Items; i++)
        {
            var value = new object();
            _dictionary[i] = value;
            _lru.AddOrUpdate(i, value);
            _memoryCache.Set(i, value);
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _memoryCache.Dispose();

    private long NextKey() => _keys[_next++ & 4095];

    [Benchmark(Baseline = true)]
    public object? ConcurrentDictionaryHit() => _dictionary.TryGetValue(NextKey(), out var v) ? v : null;

    [Benchmark]
    public object? ConcurrentLruHit() => _lru.TryGet(NextKey(), out var v) ? v : null;

    [Benchmark]
    public object? MemoryCacheHit() => _memoryCache.TryGetValue(NextKey(), out var v) ? v : null;

    [Benchmark]
    public object? ConcurrentLruMiss() => _lru.TryGet(NextKey() + Items, out var v) ? v : null;

    [Benchmark]
    public object? MemoryCacheMiss() => _memoryCache.TryGetValue(NextKey() + Items, out var v) ? v : null;
}
