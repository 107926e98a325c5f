using DocStore.Bench;
using DocStore.Bench.Systems;
using DocStore.Bench.Workloads;
using DocStore.Tests.Infrastructure;

namespace DocStore.Tests;

/// <summary>
/// The bench's peers (LiteDB, Dapper, EF Core + MemoryCache) do the same operations on the same documents as the store,
/// so a row that compares them compares equal work: each reads what the store reads, lists what it lists, and keeps
/// what it is given.
/// </summary>
public sealed class PeerSystemsTest
{
    [Theory]
    [InlineData("litedb")]
    [InlineData("dapper")]
    [InlineData("efcore-memorycache")]
    public async Task A_peer_reads_lists_creates_and_updates_the_same_documents_as_the_store(string peer)
    {
        using var temp = new TempDirectory();
        var options = BenchOptions.Parse(["compare", "--quick", "--docs", "300", "--db-dir", temp.Path]);
        await using var database = await BenchDatabase.BuildAsync(options, _ => { });
        await using var store = SystemFactory.Open("ef-baseline", database);
        await using var system = SystemFactory.Open(peer, database);

        foreach (var id in database.Ids.Where((_, i) => i % 7 == 0))
        {
            var expected = store.Get(id)!;
            var actual = system.Get(id);
            Assert.NotNull(actual);
            Assert.Equal((expected.Id, expected.Title, expected.Type, expected.Content, expected.Version), (actual.Id, actual.Title, actual.Type, actual.Content, actual.Version));
            Assert.Equal(expected.Tags, actual.Tags);

            // A second read (a cache hit for the caching peers) returns the same document.
            Assert.Equal(expected.Title, system.Get(id)!.Title);
        }

        foreach (var type in database.Types)
        {
            for (var page = 1; page <= 3; page++)
            {
                var query = new ListQuery { Type = type, Page = page, PageSize = 20 };
                Assert.Equal(store.List(query), system.List(query));
            }
        }

        var created = system.Create(database.NewDocument(database.DocumentCount));
        Assert.Equal(database.NewDocument(database.DocumentCount).Title, system.Get(created)!.Title);
        system.CreateMany([.. Enumerable.Range(1, 5).Select(i => database.NewDocument(database.DocumentCount + i))]);

        var updated = database.Ids[3];
        system.Get(updated);
        system.Update(updated, new DocumentUpdate { Title = "Renamed by the peer" });
        var after = system.Get(updated)!;
        Assert.Equal("Renamed by the peer", after.Title);
        Assert.Equal(store.Get(updated)!.Version + 1, after.Version);
    }
}
