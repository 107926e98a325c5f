using System.Collections.Concurrent;

namespace DocStore.Bench.Systems;

/// <summary>The in-memory ceiling: every document preloaded into a ConcurrentDictionary (no eviction, no invalidation, no tracking).</summary>
public sealed class DictionarySystem : IBenchSystem
{
    private readonly ConcurrentDictionary<long, Document> _documents;

    public DictionarySystem(IEnumerable<Document> documents)
    {
        _documents = new ConcurrentDictionary<long, Document>(documents.Select(d => KeyValuePair.Create(d.Id, d)));
    }

    public string Name => "dictionary";

    public bool Supports(string workload) => workload is "get-cached" or "get-zipf" or "get-many-10" or "ycsb-c";

    public Document? Get(long id) => _documents.TryGetValue(id, out var document) ? document : null;

    public int GetMany(long[] ids)
    {
        var n = 0;
        foreach (var id in ids)
        {
            if (_documents.TryGetValue(id, out _))
            {
                n++;
            }
        }

        return n;
    }

    public void ClearCache()
    {
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
