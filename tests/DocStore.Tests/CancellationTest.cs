using System.Text;
using DocStore.Fast;
using DocStore.Tests.Infrastructure;

namespace DocStore.Tests;

/// <summary>Cancellation is honoured inside a running statement on both read paths, and the connection stays usable.</summary>
public sealed class CancellationTest
{
    /// <summary>A statement that never ends on its own.</summary>
    private const string Endless = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c";

    private static readonly TimeSpan NoHang = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_running_statement_on_the_fast_path_stops_when_its_token_is_cancelled()
    {
        await using var f = new OptimizedFixture(path => new OptimizedStorageOptions { DatabasePath = path, PoolSize = 1 });
        var doc = await f.Store.CreateAsync(Docs.New());
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => f.Store.FastLayer.ScalarForTestsAsync(Endless, cancel.Token).AsTask().WaitAsync(NoHang));

        // The only pooled connection came back and works.
        f.Store.ClearCache();
        Assert.Equal(doc, await f.Store.GetAsync(doc.Id));
    }

    [Fact]
    public async Task A_running_statement_on_the_ef_path_stops_when_its_token_is_cancelled()
    {
        await using var f = new StoreFixture();
        var doc = await f.Store.CreateAsync(Docs.New());
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => f.Store.ScalarForTestsAsync(Endless, cancel.Token).WaitAsync(NoHang));
        Assert.Equal(doc, await f.Store.GetAsync(doc.Id));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_search_over_large_documents_is_cancelled_while_it_runs(bool fastPath)
    {
        await using var f = new OptimizedFixture(path => new OptimizedStorageOptions { DatabasePath = path, ResultCacheEntries = 0 });
        f.Store.FastPathEnabled = fastPath;

        // Each document matches only in its last words, so building its snippet reads all of it.
        var filler = new StringBuilder(4 * 1024 * 1024);
        while (filler.Length < 4 * 1024 * 1024)
        {
            filler.Append("lorem ipsum dolor sit amet ");
        }

        for (var i = 0; i < 8; i++)
        {
            await f.Store.CreateAsync(Docs.New(title: "big " + i, content: filler + " needle"));
        }

        // Cancelled from a thread of its own (a timer's callback can wait behind a busy thread pool for longer
        // than the search runs); the search itself takes well over a second.
        using var cancel = new CancellationTokenSource();
        var canceller = new Thread(() =>
        {
            Thread.Sleep(50);
            cancel.Cancel();
        });
        canceller.Start();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => f.Store.SearchAsync(new SearchQuery { Text = "needle" }, cancel.Token).WaitAsync(NoHang));
        canceller.Join();
        Assert.Equal(8, (await f.Store.SearchAsync(new SearchQuery { Text = "needle" })).TotalCount);
    }
}
