using DocStore.Fast;
using DocStore.Tests.Infrastructure;

namespace DocStore.Tests;

/// <summary>Write transactions do no FTS5 merging; the background merger does it in steps, while reads go on.</summary>
public sealed class FullTextMergeTest
{
    [Fact]
    public async Task Writes_leave_merging_to_the_merger_which_runs_while_searches_go_on()
    {
        await using var f = new OptimizedFixture(path => new OptimizedStorageOptions
        {
            DatabasePath = path,
            ResultCacheEntries = 0,
            Sqlite = new SqliteOptions { FullTextMergeInterval = TimeSpan.Zero },
        });
        Assert.Equal(0L, SqliteProbe.Scalar(f.Path, "SELECT v FROM documents_fts_config WHERE k = 'automerge'"));

        // Many small transactions: one segment each, none merged inside a write.
        for (var i = 0; i < 60; i++)
        {
            await f.Store.CreateAsync(Docs.New(title: "merge " + i, content: "mergeword number " + i));
        }

        using var window = new StressWindow(TimeSpan.FromSeconds(1));
        var wrong = 0;
        var searches = 0L;
        var reader = Task.Run(async () =>
        {
            window.WaitForStart();
            for (var n = 0L; window.Running(n, minimum: 50); n++)
            {
                if ((await f.Store.SearchAsync(new SearchQuery { Text = "mergeword", PageSize = 100 })).TotalCount != 60)
                {
                    Interlocked.Increment(ref wrong);
                }

                Interlocked.Increment(ref searches);
            }
        });
        window.Start();
        var steps = await f.Ef.MergeFullTextIndexAsync();
        await reader;

        Assert.True(steps > 0, "the merger found nothing to merge after 60 single-document transactions");
        Assert.Equal(0, wrong);
        Assert.True(searches >= 50);
        Assert.Equal(0, await f.Ef.MergeFullTextIndexAsync());
        SqliteProbe.FtsCheck(f.Path);
    }

    [Fact]
    public async Task The_background_merger_merges_after_writes_without_being_asked()
    {
        await using var f = new OptimizedFixture(path => new OptimizedStorageOptions { DatabasePath = path, Sqlite = new SqliteOptions { FullTextMergeInterval = TimeSpan.FromMilliseconds(100) } });
        for (var i = 0; i < 40; i++)
        {
            await f.Store.CreateAsync(Docs.New(content: "background " + i));
        }

        // It ran once the writes stopped, so a merge now finds nothing left to do.
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (f.Ef.FullTextMergeSteps == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        Assert.True(f.Ef.FullTextMergeSteps > 0);
        SqliteProbe.FtsCheck(f.Path);
    }
}
