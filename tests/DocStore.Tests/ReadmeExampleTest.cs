using DocStore.Tests.Infrastructure;

namespace DocStore.Tests;

/// <summary>The README's usage example, compiled and run, so the README cannot go stale.</summary>
public sealed class ReadmeExampleTest
{
    [Fact]
    public async Task Readme_example_runs()
    {
        using var temp = new TempDirectory();
        var path = temp.File("docs.db");

        await using var store = new LocalStorageSystem(new DocStoreOptions { DatabasePath = path });

        var doc = await store.CreateAsync(new NewDocument
        {
            Title = "Getting started",
            Type = "tutorial",
            Content = "Install the package, open a store, create documents.",
            Tags = ["intro", "setup"],
            Metadata = """{"team":"docs","priority":1}""",
        });

        doc = await store.UpdateAsync(doc.Id, new DocumentUpdate { Content = "Open a store first.", ExpectedVersion = doc.Version });

        var page = await store.ListAsync(new ListQuery
        {
            Type = "tutorial",
            Tags = ["intro"],
            Metadata = [MetadataFilter.Equal("team", "docs")],
            OrderBy = DocumentOrder.UpdatedAt,
            PageSize = 20,
        });

        var hits = await store.SearchAsync(new SearchQuery { Text = "open stor*" });
        foreach (var hit in hits.Items)
        {
            Console.WriteLine($"{hit.Document.Title}: {hit.Snippet}");
        }

        var history = await store.GetVersionsAsync(doc.Id);
        await store.RestoreVersionAsync(doc.Id, version: 1);
        await store.DeleteAsync(doc.Id);

        Assert.Single(page.Items);
        Assert.Single(hits.Items);
        Assert.Contains("<mark>", hits.Items[0].Snippet, StringComparison.Ordinal);
        Assert.Equal(2, history.Count);
        Assert.Equal(4, (await store.GetVersionsAsync(doc.Id)).Count);
        Assert.Null(await store.GetAsync(doc.Id));
    }

    [Fact]
    public async Task Readme_fast_path_example_runs()
    {
        using var temp = new TempDirectory();
        await using var store = new DocStore.Fast.OptimizedStorageSystem(new DocStore.Fast.OptimizedStorageOptions
        {
            DatabasePath = temp.File("docs.db"),
            CacheCapacity = 10_000,
            PoolSize = 50,
        });
        var created = await store.CreateAsync(Docs.New());

        var doc = await store.GetAsync(created.Id);
        store.FastPathEnabled = false;
        var stats = store.GetFastPathStatistics();

        Assert.Equal(created, doc);

        // Through EF Core now. The first read was counted, and the background writer (once a second) may have
        // written that count already: the same document, with or without its access count.
        var fallback = await store.GetAsync(created.Id);
        Assert.Equal((created.Id, created.Version, created.Title, created.Content, created.UpdatedAt), (fallback!.Id, fallback.Version, fallback.Title, fallback.Content, fallback.UpdatedAt));
        Assert.InRange(fallback.AccessCount, 0, 1);
        Assert.Equal(1, stats.FastReads);
        Assert.Equal(1, store.GetFastPathStatistics().FallbackReads);
    }
}
