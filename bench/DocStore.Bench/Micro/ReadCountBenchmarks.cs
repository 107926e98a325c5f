using System.Collections.Concurrent;
using BenchmarkDotNet.Attributes;
using DocStore.Bench.Micro.Replaced;
using DocStore.Fast.Tracking;

namespace DocStore.Bench.Micro;

/// <summary>
/// Counting one read in the reading thread's own table, as a cached hit does: the store's bucketed table
/// (<see cref="ThreadReadTable"/>, one cache line per bucket) against the (id, count) pair table it replaced
/// (<see cref="PairReadTable"/>), alone and after a dictionary lookup as on a hit (the table's line is loaded
/// before the lookup so the two overlap). Ids are drawn at random from a hot set of documents out of 100,000,
/// each already counted once and harvested, as after the store's first write of counts.
/// </summary>
[MemoryDiagnoser]
public class ReadCountBenchmarks
{
    private const int KeyMask = (1 << 16) - 1;
    private readonly ConcurrentDictionary<long, object> _dictionary = new();
    private PairReadTable _pairs = new();
    private ThreadReadTable _buckets = new();
    private long[] _keys = [];
    private int _next;

    /// <summary>How many documents are read.</summary>
    [Params(1_000, 5_000)]
    public int HotSet { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(1);
        var hot = Enumerable.Range(1, 100_000).OrderBy(_ => random.Next()).Take(HotSet).Select(id => (long)id).ToArray();
        _pairs = new PairReadTable();
        _buckets = new ThreadReadTable();
        foreach (var id in hot)
        {
            _dictionary[id] = new object();
            _pairs.TryRecord(id);
            _buckets.TryRecord(id);
        }

        _pairs.Harvest((_, _) => { });
        _buckets.Harvest((_, _) => { });
        _keys = Enumerable.Range(0, KeyMask + 1).Select(_ => hot[random.Next(hot.Length)]).ToArray();
    }

    [Benchmark(Baseline = true)]
    public object? DictionaryLookup() => _dictionary.TryGetValue(_keys[_next++ & KeyMask], out var value) ? value : null;

    [Benchmark]
    public bool PairCount()
    {
        var id = _keys[_next++ & KeyMask];
        var start = PairReadTable.StartOf(id);
        return _pairs.TryRecord(id, start, _pairs.IdAt(start));
    }

    [Benchmark]
    public bool BucketCount()
    {
        var id = _keys[_next++ & KeyMask];
        var bucket = ThreadReadTable.BucketOf(id);
        return _buckets.TryRecord(id, bucket, _buckets.Match(id, bucket));
    }

    [Benchmark]
    public object? DictionaryLookupAndPairCount()
    {
        var id = _keys[_next++ & KeyMask];
        var start = PairReadTable.StartOf(id);
        var seen = _pairs.IdAt(start);
        if (_dictionary.TryGetValue(id, out var value))
        {
            _pairs.TryRecord(id, start, seen);
        }

        return value;
    }

    [Benchmark]
    public object? DictionaryLookupAndBucketCount()
    {
        var id = _keys[_next++ & KeyMask];
        var bucket = ThreadReadTable.BucketOf(id);
        var match = _buckets.Match(id, bucket);
        if (_dictionary.TryGetValue(id, out var value))
        {
            _buckets.TryRecord(id, bucket, match);
        }

        return value;
    }
}
