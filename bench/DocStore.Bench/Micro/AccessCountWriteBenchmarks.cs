using BenchmarkDotNet.Attributes;
using DocStore.Bench.Micro.Replaced;
using DocStore.Internal;

namespace DocStore.Bench.Micro;

/// <summary>
/// One write of read counts, as the fast path's background task makes it once a second: 6,000 documents of the
/// 10,000, three in four read once since the last write (uniform reads are mostly once), the rest 2-9 times, in id
/// order. The store's write (ids read once as a bare list, the rest as pairs, the time bound once) against the
/// statement it replaced (one [id, reads, time] triple per document), on the same file.
/// </summary>
[MemoryDiagnoser]
public class AccessCountWriteBenchmarks
{
    private MicroStore _store = null!;
    private TripleAccessCountWriter _triples = null!;
    private AccessUpdate[] _updates = [];
    private long _ticks = DateTime.UtcNow.Ticks;

    [GlobalSetup]
    public void Setup()
    {
        _store = MicroStore.CreateAsync().GetAwaiter().GetResult();
        var random = new Random(42);
        _updates = [.. _store.Ids.OrderBy(_ => random.Next()).Take(6_000).Order().Select(id => new AccessUpdate(id, random.Next(4) == 0 ? random.Next(2, 10) : 1))];
        _triples = new TripleAccessCountWriter(_store.DatabasePath);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _triples.Dispose();
        _store.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    [Benchmark(Baseline = true)]
    public int TriplesBefore() => _triples.Write(_updates, ++_ticks);

    [Benchmark]
    public void OnceListAndPairs() => _store.Ef.ApplyAccessUpdatesAsync(_updates, ++_ticks).GetAwaiter().GetResult();
}
