using System.Collections.Concurrent;
using DocStore.Fast;
using DocStore.Tests.Infrastructure;

namespace DocStore.Tests;

/// <summary>A page and its total come from one snapshot on both paths: under concurrent writes they always agree.</summary>
public sealed class PageSnapshotTest
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Items_and_total_agree_while_writers_add_and_remove_documents(bool fastPath)
    {
        await using var f = new OptimizedFixture(path => new OptimizedStorageOptions { DatabasePath = path, ResultCacheEntries = 0, EnableAccessTracking = false });
        f.Store.FastPathEnabled = fastPath;
        await f.Store.CreateManyAsync(Enumerable.Range(0, 50).Select(i => Docs.New(title: "p" + i, content: "pageword " + i, type: "page")));
        var wrong = new ConcurrentQueue<string>();
        var pages = 0;
        using var window = new StressWindow(TimeSpan.FromSeconds(2));

        var writer = Task.Run(async () =>
        {
            var random = new Random(1);
            window.WaitForStart();
            for (var n = 0L; window.Running(n); n++)
            {
                // Batches move the total by several at once, between the two statements of an unprotected read.
                var created = await f.Store.CreateManyAsync(Enumerable.Range(0, random.Next(1, 6)).Select(_ => Docs.New(content: "pageword", type: "page")));
                foreach (var doc in created.Take(random.Next(created.Count + 1)))
                {
                    await f.Store.DeleteAsync(doc.Id, random.Next(2) == 0 ? DeleteMode.Hard : DeleteMode.Soft);
                }
            }
        });
        var readers = Enumerable.Range(0, 3).Select(r => Task.Run(async () =>
        {
            window.WaitForStart();
            for (var n = 0L; window.Running(n); n++)
            {
                var list = await f.Store.ListAsync(new ListQuery { Type = "page", PageSize = 1000 });
                if (list.Items.Count != list.TotalCount)
                {
                    wrong.Enqueue($"list: {list.Items.Count} items, total {list.TotalCount}");
                }

                var search = await f.Store.SearchAsync(new SearchQuery { Text = "pageword", PageSize = 1000 });
                if (search.Items.Count != search.TotalCount)
                {
                    wrong.Enqueue($"search: {search.Items.Count} hits, total {search.TotalCount}");
                }

                Interlocked.Add(ref pages, 2);
            }
        })).ToArray();

        window.Start();
        await Task.WhenAll(readers.Append(writer));
        Assert.True(wrong.IsEmpty, $"{wrong.Count} of {pages} pages disagreed with their total, e.g. " + string.Join("; ", wrong.Take(5)));
        Assert.True(pages > 100, $"only {pages} pages");
    }
}
