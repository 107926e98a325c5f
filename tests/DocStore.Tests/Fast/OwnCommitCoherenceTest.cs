using DocStore.Fast;
using DocStore.Tests.Infrastructure;

namespace DocStore.Tests.Fast;

/// <summary>
/// An instance recognises its own commits on the WAL index's change counter (no audit-log read per write),
/// and still sees every other instance's commit, however the two interleave.
/// </summary>
public sealed class OwnCommitCoherenceTest
{
    [Fact]
    public async Task Own_writes_need_no_refresh_and_foreign_writes_are_still_seen()
    {
        // Access counts and background full-text merges are written by jobs that are not the observer's (their
        // commits look foreign and cost one refresh each): hour-long intervals keep them out of this test.
        await using var f = new OptimizedFixture(path => new OptimizedStorageOptions
        {
            DatabasePath = path,
            TrackingFlushInterval = TimeSpan.FromHours(1),
            Sqlite = new SqliteOptions { FullTextMergeInterval = TimeSpan.FromHours(1) },
        });
        var a = f.Store;
        var ids = new List<long>();
        for (var i = 0; i < 20; i++)
        {
            ids.Add((await a.CreateAsync(Docs.New("doc " + i), TestContext.Current.CancellationToken)).Id);
        }

        await a.GetAsync(ids[0], TestContext.Current.CancellationToken);
        var before = a.GetFastPathStatistics().CoherenceRefreshes;
        for (var round = 0; round < 5; round++)
        {
            foreach (var id in ids)
            {
                var updated = await a.UpdateAsync(id, new DocumentUpdate { Content = $"round {round}" }, TestContext.Current.CancellationToken);
                var read = await a.GetAsync(id, TestContext.Current.CancellationToken);
                Assert.Equal(updated.Version, read!.Version);
            }
        }

        // 100 own writes: before this change each was followed by a refresh. A commit that restarts the WAL
        // moves the counter twice and costs one refresh, so a few are allowed.
        Assert.InRange(a.GetFastPathStatistics().CoherenceRefreshes - before, 0, 3);

        await using var b = new LocalStorageSystem(new DocStoreOptions { DatabasePath = f.Path });
        for (var i = 0; i < 200; i++)
        {
            var id = ids[i % ids.Count];
            var ours = await a.UpdateAsync(id, new DocumentUpdate { Content = $"a {i}" }, TestContext.Current.CancellationToken);
            var theirs = await b.UpdateAsync(id, new DocumentUpdate { Content = $"b {i}" }, TestContext.Current.CancellationToken);
            Assert.Equal(ours.Version + 1, theirs.Version);
            var seen = await a.GetAsync(id, TestContext.Current.CancellationToken);
            Assert.Equal(theirs.Version, seen!.Version);
            Assert.Equal($"b {i}", seen.Content);
        }

        Assert.True(a.GetFastPathStatistics().CoherenceRefreshes > before);
    }
}
