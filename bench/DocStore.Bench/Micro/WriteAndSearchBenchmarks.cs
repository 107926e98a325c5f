using BenchmarkDotNet.Attributes;

namespace DocStore.Bench.Micro;

/// <summary>Search without the result cache (fast path and EF path, same SQL) and a validated, audited create.</summary>
[MemoryDiagnoser]
public class WriteAndSearchBenchmarks
{
    private MicroStore _store = null!;
    private string[] _terms = [];
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        _store = MicroStore.CreateAsync().GetAwaiter().GetResult();
        _terms = ["kalo", "renmi", "torsa", "velqui", "drapen"];
    }

    [GlobalCleanup]
    public void Cleanup() => _store.DisposeAsync().AsTask().GetAwaiter().GetResult();

    [Benchmark]
    public long SearchFastPathNoResultCache() => _store.NoCache.SearchAsync(new SearchQuery { Text = _terms[_next++ % _terms.Length], PageSize = 10 }).GetAwaiter().GetResult().TotalCount;

    [Benchmark]
    public long SearchEf() => _store.Ef.SearchAsync(new SearchQuery { Text = _terms[_next++ % _terms.Length], PageSize = 10 }).GetAwaiter().GetResult().TotalCount;

    [Benchmark]
    public long CreateOne() => _store.Ef.CreateAsync(_store.Corpus.Document(100_000 + _next++)).GetAwaiter().GetResult().Id;
}
