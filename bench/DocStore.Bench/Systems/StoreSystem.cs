using DocStore.Fast;

namespace DocStore.Bench.Systems;

/// <summary>A DocStore store (EF baseline or optimized) through its public async API, awaited synchronously as a caller on a thread would.</summary>
public sealed class StoreSystem : IBenchSystem
{
    private readonly IDocumentStore _store;

    public StoreSystem(string name, IDocumentStore store)
    {
        Name = name;
        _store = store;
    }

    public string Name { get; }

    public IDocumentStore Store => _store;

    public bool Supports(string workload) => true;

    public Document? Get(long id)
    {
        var pending = _store.GetAsync(id);
        return pending.IsCompletedSuccessfully ? pending.Result : pending.AsTask().GetAwaiter().GetResult();
    }

    public int GetMany(long[] ids) => _store.GetManyAsync(ids).GetAwaiter().GetResult().Count;

    public int List(ListQuery query) => _store.ListAsync(query).GetAwaiter().GetResult().Items.Count;

    public int Search(SearchQuery query) => _store.SearchAsync(query).GetAwaiter().GetResult().Items.Count;

    public long Create(NewDocument document) => _store.CreateAsync(document).GetAwaiter().GetResult().Id;

    public void CreateMany(IReadOnlyList<NewDocument> documents) => _store.CreateManyAsync(documents).GetAwaiter().GetResult();

    public void Update(long id, DocumentUpdate update) => _store.UpdateAsync(id, update).GetAwaiter().GetResult();

    public void ClearCache()
    {
        if (_store is OptimizedStorageSystem optimized)
        {
            optimized.ClearCache();
        }
    }

    public void Settle()
    {
        if (_store is OptimizedStorageSystem optimized)
        {
            optimized.FlushAccessTrackingAsync().GetAwaiter().GetResult();
        }
    }

    public ValueTask DisposeAsync() => _store.DisposeAsync();
}
