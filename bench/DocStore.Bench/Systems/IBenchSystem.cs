namespace DocStore.Bench.Systems;

/// <summary>One system under test. Operations block (the harness runs them on dedicated threads).</summary>
public interface IBenchSystem : IAsyncDisposable
{
    string Name { get; }

    /// <summary>Workload names this system can run.</summary>
    bool Supports(string workload);

    Document? Get(long id);

    int GetMany(long[] ids);

    int List(ListQuery query);

    int Search(SearchQuery query);

    long Create(NewDocument document);

    void CreateMany(IReadOnlyList<NewDocument> documents);

    void Update(long id, DocumentUpdate update);

    /// <summary>Forget cached state (for cold-cache workloads).</summary>
    void ClearCache();
}
