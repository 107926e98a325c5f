using DocStore.Bench.Corpus;
using DocStore.Bench.Systems;
using DocStore.Fast;

namespace DocStore.Bench.Micro;

/// <summary>A 10,000-document database shared by the store micro-benchmarks, opened through every path.</summary>
public sealed class MicroStore : IAsyncDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "docstore-micro-" + Guid.NewGuid().ToString("N")[..8]);

    private MicroStore()
    {
    }

    public LocalStorageSystem Ef { get; private set; } = null!;

    public OptimizedStorageSystem Optimized { get; private set; } = null!;

    public OptimizedStorageSystem NoCache { get; private set; } = null!;

    public RawSqliteSystem Raw { get; private set; } = null!;

    public long[] Ids { get; private set; } = [];

    /// <summary>The database file.</summary>
    public string DatabasePath { get; private set; } = string.Empty;

    public SyntheticCorpus Corpus { get; } = new(42, 1024);

    public static async Task<MicroStore> CreateAsync(int documents = 10_000)
    {
        var store = new MicroStore();
        Directory.CreateDirectory(store._folder);
        var path = Path.Combine(store._folder, "micro.db");
        store.DatabasePath = path;
        store.Ef = new LocalStorageSystem(new DocStoreOptions { DatabasePath = path });
        var ids = new List<long>();
        foreach (var chunk in Enumerable.Range(0, documents).Chunk(1000))
        {
            ids.AddRange((await store.Ef.CreateManyAsync(chunk.Select(store.Corpus.Document))).Select(d => d.Id));
        }

        await store.Ef.OptimizeAsync();
        store.Ids = ids.ToArray();
        store.Optimized = new OptimizedStorageSystem(new OptimizedStorageOptions { DatabasePath = path });
        store.NoCache = new OptimizedStorageSystem(new OptimizedStorageOptions { DatabasePath = path, CacheCapacity = 0, ResultCacheEntries = 0 });
        store.Raw = new RawSqliteSystem(path);
        return store;
    }

    public async ValueTask DisposeAsync()
    {
        await Optimized.DisposeAsync();
        await NoCache.DisposeAsync();
        await Raw.DisposeAsync();
        await Ef.DisposeAsync();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
