using System.Collections.Concurrent;
using BenchmarkDotNet.Attributes;
using BitFaster.Caching.Lru;
using DocStore.Bench.Micro.Replaced;
using DocStore.Fast.Caching;
using Microsoft.Extensions.Caching.Memory;

namespace DocStore.Bench.Micro;

/// <summary>
/// L1 lookups in one run, a bare ConcurrentDictionary as the baseline: the hand-written LRU DocStore used
/// before (with the striped hit counter it paid for), BitFaster.Caching's ConcurrentLru (with its
/// counters) and FastConcurrentLru (without, which L1 uses), DocStore's DocumentCache over it (which also
/// counts the hit and the read in the thread's own table), and MemoryCache.
/// </summary>
[MemoryDiagnoser]
public class CacheBenchmarks
{
    private const int Items = 10_000;
    private readonly ConcurrentDictionary<long, object> _dictionary = new();
    private readonly HandWrittenLru<long, object> _before = new(Items);
    private readonly ConcurrentLru<long, object> _bitFaster = new(Items);
    private readonly FastConcurrentLru<long, object> _bitFasterFast = new(Items);
    private readonly DocumentCache _documentCache = new(Items, new DocStore.Fast.Tracking.AccessCounter(true, TimeSpan.FromHours(1), (_, _) => Task.CompletedTask, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance));
    private readonly MemoryCache _memoryCache = new(new MemoryCacheOptions());
    private long[] _keys = [];
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(1);
        _keys = Enumerable.Range(0, 4096).Select(_ => (long)random.Next(Items)).ToArray();
        var epoch = 0L;
        for (long i = 0; i < Items; i++)
        {
            var value = new object();
            _dictionary[i] = value;
            _before.AddOrUpdate(i, value);
            _bitFaster.AddOrUpdate(i, value);
            _bitFasterFast.AddOrUpdate(i, value);
            _documentCache.Offer(Sample(i), epoch);
            _memoryCache.Set(i, value);
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _memoryCache.Dispose();

    private long NextKey() => _keys[_next++ & 4095];

    private static Document Sample(long id) => new()
    {
        Id = id,
        Uuid = Guid.CreateVersion7(),
        Title = "t",
        Type = "note",
        Status = DocumentStatus.Active,
        Content = "c",
        Format = "plain",
        Tags = [],
        Metadata = "{}",
        ContentHash = "h",
        SizeBytes = 1,
        Version = 1,
        CreatedAt = DateTimeOffset.UnixEpoch,
        UpdatedAt = DateTimeOffset.UnixEpoch,
    };

    [Benchmark(Baseline = true)]
    public object? ConcurrentDictionaryHit() => _dictionary.TryGetValue(NextKey(), out var v) ? v : null;

    [Benchmark]
    public object? HandWrittenLruHitBefore() => _before.TryGet(NextKey(), out var v) ? v : null;

    [Benchmark]
    public object? BitFasterConcurrentLruHit() => _bitFaster.TryGet(NextKey(), out var v) ? v : null;

    [Benchmark]
    public object? BitFasterFastConcurrentLruHit() => _bitFasterFast.TryGet(NextKey(), out var v) ? v : null;

    [Benchmark]
    public object? DocumentCacheHitCounted() => _documentCache.TryGet(NextKey(), out var v) ? v : null;

    [Benchmark]
    public object? MemoryCacheHit() => _memoryCache.TryGetValue(NextKey(), out var v) ? v : null;

    [Benchmark]
    public object? BitFasterConcurrentLruMiss() => _bitFaster.TryGet(NextKey() + Items, out var v) ? v : null;

    [Benchmark]
    public object? MemoryCacheMiss() => _memoryCache.TryGetValue(NextKey() + Items, out var v) ? v : null;
}
