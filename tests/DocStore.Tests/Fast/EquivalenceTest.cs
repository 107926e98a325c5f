using DocStore.Fast;
using DocStore.Tests.Infrastructure;

namespace DocStore.Tests.Fast;

/// <summary>Invariant 1: every read API gives the same answer through the fast path and the EF Core path.</summary>
public sealed class EquivalenceTest
{
    private static OptimizedFixture Untracked(int cacheCapacity = 10_000, int resultCache = 1000) => new(path => new OptimizedStorageOptions
    {
        DatabasePath = path,
        EnableAccessTracking = false,
        CacheCapacity = cacheCapacity,
        ResultCacheEntries = resultCache,
        PoolSize = 4,
    });

    private static Task CompareAsync(OptimizedFixture f, IReadOnlyList<Document> seeded, Random random, int rounds) =>
        CompareAsync(f.Store, seeded, random, rounds);

    /// <summary>Random reads of every kind through <paramref name="store"/>'s fast path and its plain path, compared (either engine).</summary>
    internal static async Task CompareAsync(OptimizedStorageSystem store, IReadOnlyList<Document> seeded, Random random, int rounds)
    {
        var f = (Store: store, Ef: store.Inner);
        var all = await ListTest.AllIncludingDeletedAsync(f.Ef, seeded);
        var ids = seeded.Select(d => d.Id).ToList();
        for (var i = 0; i < rounds; i++)
        {
            var id = random.Next(4) == 0 ? 100_000 + i : ids[random.Next(ids.Count)];
            Assert.Equal(await f.Ef.GetAsync(id), await f.Store.GetAsync(id));

            var some = Enumerable.Range(0, random.Next(0, 12)).Select(_ => random.Next(3) == 0 ? -5 : ids[random.Next(ids.Count)]).ToList();
            Assert.Equal(await f.Ef.GetManyAsync(some), await f.Store.GetManyAsync(some));

            var pick = seeded[random.Next(seeded.Count)];
            Assert.Equal(await f.Ef.GetByUuidAsync(pick.Uuid), await f.Store.GetByUuidAsync(pick.Uuid));

            var list = ListTest.RandomQuery(random, all);
            var expectedList = await f.Ef.ListAsync(list);
            var actualList = await f.Store.ListAsync(list);
            Assert.Equal(expectedList.TotalCount, actualList.TotalCount);
            Assert.Equal(expectedList.Items, actualList.Items);

            var search = new SearchQuery
            {
                Text = Docs.RandomWord(random) + (random.Next(3) == 0 ? " " + Docs.RandomWord(random) : string.Empty) + (random.Next(4) == 0 ? "*" : string.Empty),
                Type = list.Type,
                Status = list.Status,
                Tags = list.Tags,
                Metadata = list.Metadata,
                Page = list.Page,
                PageSize = list.PageSize,
            };
            var expectedSearch = await f.Ef.SearchAsync(search);
            var actualSearch = await f.Store.SearchAsync(search);
            Assert.Equal(expectedSearch.TotalCount, actualSearch.TotalCount);
            Assert.Equal(expectedSearch.Items, actualSearch.Items);
        }
    }

    [Theory]
    [InlineData(10_000, 1000)]
    [InlineData(0, 0)]
    [InlineData(40, 1000)]
    public async Task Fast_and_ef_paths_agree_before_and_after_random_writes(int cacheCapacity, int resultCache)
    {
        await using var f = Untracked(cacheCapacity, resultCache);
        var random = new Random(cacheCapacity + 17);
        var seeded = await ListTest.SeedAsync(f.Store, 200, seed: 5);
        await CompareAsync(f, seeded, random, 60);

        for (var i = 0; i < 60; i++)
        {
            var doc = seeded[random.Next(seeded.Count)];
            switch (random.Next(5))
            {
                case 0:
                    await f.Store.DeleteAsync(doc.Id);
                    break;
                case 1 when random.Next(4) == 0:
                    await f.Store.DeleteAsync(doc.Id, DeleteMode.Hard);
                    break;
                default:
                    try
                    {
                        await f.Store.UpdateAsync(doc.Id, new DocumentUpdate { Content = Docs.RandomWord(random) + " rewritten " + i, Tags = Docs.TagPool.Where(_ => random.Next(2) == 0) });
                    }
                    catch (DocumentNotFoundException)
                    {
                    }

                    break;
            }
        }

        await CompareAsync(f, seeded, random, 60);
        Assert.True(f.Store.GetFastPathStatistics().FastReads > 0);
        SqliteProbe.FtsCheck(f.Path);
    }

    [Fact]
    public async Task Disabled_fast_path_reads_through_ef_with_identical_results()
    {
        await using var f = Untracked();
        var seeded = await ListTest.SeedAsync(f.Store, 100, seed: 9);
        var id = seeded[3].Id;
        var fast = await f.Store.GetAsync(id);
        f.Store.FastPathEnabled = false;
        Assert.Equal(fast, await f.Store.GetAsync(id));
        Assert.Equal(1, f.Store.GetFastPathStatistics().FallbackReads);
        await CompareAsync(f, seeded, new Random(1), 20);
    }

    [Fact]
    public async Task Bad_queries_fail_the_same_way_on_both_paths()
    {
        await using var f = Untracked();
        await f.Store.CreateAsync(Docs.New());
        foreach (var enabled in new[] { true, false })
        {
            f.Store.FastPathEnabled = enabled;
            await Assert.ThrowsAsync<InvalidSearchQueryException>(() => f.Store.SearchAsync(new SearchQuery { Text = "a AND", Mode = SearchMode.Advanced }));
            await Assert.ThrowsAsync<InvalidSearchQueryException>(() => f.Store.SearchAsync(new SearchQuery { Text = "!!!" }));
            await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => f.Store.ListAsync(new ListQuery { PageSize = 0 }));
            await Assert.ThrowsAsync<ArgumentException>(() => f.Store.GetManyAsync(Enumerable.Range(0, 10_001).Select(i => (long)i)));
        }
    }

    [Fact]
    public async Task Result_cache_answers_repeats_and_every_write_invalidates_it()
    {
        await using var f = Untracked();
        await f.Store.CreateAsync(Docs.New(content: "zebra one"));
        var query = new SearchQuery { Text = "zebra" };
        Assert.Equal(1, (await f.Store.SearchAsync(query)).TotalCount);
        Assert.Equal(1, (await f.Store.SearchAsync(query)).TotalCount);
        Assert.Equal(1, f.Store.GetFastPathStatistics().ResultCacheHits);

        await f.Store.CreateAsync(Docs.New(content: "zebra two"));
        Assert.Equal(2, (await f.Store.SearchAsync(query)).TotalCount);
        var list = new ListQuery();
        Assert.Equal(2, (await f.Store.ListAsync(list)).TotalCount);
        await f.Store.DeleteAsync((await f.Store.ListAsync(list)).Items[0].Id);
        Assert.Equal(1, (await f.Store.ListAsync(list)).TotalCount);
    }
}
