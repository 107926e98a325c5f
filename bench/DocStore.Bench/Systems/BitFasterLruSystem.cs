using System.Collections.Concurrent;
using BitFaster.Caching.Lru;

namespace DocStore.Bench.Systems;

/// <summary>
/// The floor under the store's L1: BitFaster.Caching's <c>FastConcurrentLru</c>, the cache L1 is built on, with the
/// store's default capacity, filled on a miss from memory. No epoch guard, no coherence check, no read counting:
/// its cached get against <see cref="DictionarySystem"/>'s is what the library itself costs, and the store's against
/// it what the store adds.
/// </summary>
public sealed class BitFasterLruSystem : IBenchSystem
{
    private readonly ConcurrentDictionary<long, Document> _source;
    private readonly FastConcurrentLru<long, Document> _cache;

    /// <param name="documents">Every document, in memory (the "database" a miss reads).</param>
    /// <param name="capacity">The store's L1 capacity.</param>
    public BitFasterLruSystem(IEnumerable<Document> documents, int capacity)
    {
        _source = new ConcurrentDictionary<long, Document>(documents.Select(d => KeyValuePair.Create(d.Id, d)));
        // The store's DocumentCache makes its cache the same way.
        _cache = new FastConcurrentLru<long, Document>(Environment.ProcessorCount, capacity, EqualityComparer<long>.Default);
    }

    public string Name => "bitfaster-lru";

    public bool Supports(string workload) => workload is "get-cached";

    public Document? Get(long id)
    {
        if (_cache.TryGet(id, out var document))
        {
            return document;
        }

        if (!_source.TryGetValue(id, out document))
        {
            return null;
        }

        _cache.AddOrUpdate(id, document);
        return document;
    }

    public int GetMany(long[] ids) => throw new NotSupportedException();

    public int List(ListQuery query) => throw new NotSupportedException();

    public int Search(SearchQuery query) => throw new NotSupportedException();

    public long Create(NewDocument document) => throw new NotSupportedException();

    public void CreateMany(IReadOnlyList<NewDocument> documents) => throw new NotSupportedException();

    public void Update(long id, DocumentUpdate update) => throw new NotSupportedException();

    public void ClearCache() => _cache.Clear();

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
