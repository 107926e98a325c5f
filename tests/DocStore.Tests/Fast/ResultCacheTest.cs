using DocStore.Fast;
using DocStore.Tests.Infrastructure;

namespace DocStore.Tests.Fast;

/// <summary>The result cache never outlives a change that alters its answer.</summary>
public sealed class ResultCacheTest
{
    [Fact]
    public async Task WhenAccessCountsAreWrittenThenAListOrderedByThemIsRecomputedAndMatchesTheEfPath()
    {
        await using var f = new OptimizedFixture(path => new OptimizedStorageOptions { DatabasePath = path, TrackingFlushInterval = TimeSpan.FromHours(1) });
        var a = await f.Store.CreateAsync(Docs.New(title: "a", type: "acc"));
        var b = await f.Store.CreateAsync(Docs.New(title: "b", type: "acc"));
        var query = new ListQuery { Type = "acc", OrderBy = DocumentOrder.AccessCount, Descending = true, PageSize = 1 };

        // Cached while both counts are 0 (ties go by id, descending: b first).
        Assert.Equal(b.Id, (await f.Store.ListAsync(query)).Items[0].Id);
        for (var i = 0; i < 10; i++)
        {
            await f.Store.GetAsync(a.Id);
        }

        await f.Store.FlushAccessTrackingAsync();
        var fast = await f.Store.ListAsync(query);
        var ef = await f.Ef.ListAsync(query);
        Assert.Equal(a.Id, ef.Items[0].Id);
        Assert.Equal(ef.Items.Select(d => d.Id), fast.Items.Select(d => d.Id));
        Assert.Equal(10, fast.Items[0].AccessCount);
    }

    [Fact]
    public async Task WhenAWriteCommitsThenNoCachedPageOfTheOlderStateIsServed()
    {
        await using var f = new OptimizedFixture();
        var doc = await f.Store.CreateAsync(Docs.New(title: "before", content: "cachedword"));
        Assert.Equal("before", (await f.Store.SearchAsync(new SearchQuery { Text = "cachedword" })).Items[0].Document.Title);
        Assert.Equal(1, (await f.Store.ListAsync(new ListQuery())).TotalCount);
        await f.Store.UpdateAsync(doc.Id, new DocumentUpdate { Title = "after" });
        await f.Store.CreateAsync(Docs.New());
        Assert.Equal("after", (await f.Store.SearchAsync(new SearchQuery { Text = "cachedword" })).Items[0].Document.Title);
        Assert.Equal(2, (await f.Store.ListAsync(new ListQuery())).TotalCount);
    }
}
