namespace DocStore.Bench.Systems;

/// <summary>
/// One system under test. Operations block (the harness runs them on dedicated threads). A system that serves only
/// gets (a cache, the instance pair) leaves the rest to the defaults here, which throw; <see cref="Supports"/> keeps
/// the harness from calling them.
/// </summary>
public interface IBenchSystem : IAsyncDisposable
{
    string Name { get; }

    /// <summary>Workload names this system can run.</summary>
    bool Supports(string workload);

    Document? Get(long id);

    int GetMany(long[] ids) => throw new NotSupportedException();

    int List(ListQuery query) => throw new NotSupportedException();

    int Search(SearchQuery query) => throw new NotSupportedException();

    long Create(NewDocument document) => throw new NotSupportedException();

    void CreateMany(IReadOnlyList<NewDocument> documents) => throw new NotSupportedException();

    void Update(long id, DocumentUpdate update) => throw new NotSupportedException();

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
