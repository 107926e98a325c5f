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

    /// <summary>
    /// Finishes the background work a measured period left behind (the store writes the read counts it has not
    /// written yet), so that it does not run during the next cell's period.
    /// </summary>
    void Settle()
    {
    }
}
