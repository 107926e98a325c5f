using System.Collections.Concurrent;
using DocStore.Tests.Infrastructure;
using Microsoft.Extensions.Logging;

namespace DocStore.Tests;

/// <summary>A keyset walk reads each page without counting what is left, so a full walk reads each row once.</summary>
public sealed class KeysetWalkTest
{
    [Fact]
    public async Task A_listing_without_its_total_gives_the_same_items_and_a_total_of_minus_one_on_both_paths()
    {
        await using var f = new OptimizedFixture();
        await ListTest.SeedAsync(f.Store, 150, seed: 5);
        var expected = (await f.Ef.ListAsync(new ListQuery { OrderBy = DocumentOrder.Id, Descending = false, AfterId = 40, PageSize = 200 })).Items.Count;
        Assert.True(expected > 25, $"{expected} live documents after id 40");
        var counted = new ListQuery { OrderBy = DocumentOrder.Id, Descending = false, AfterId = 40, PageSize = 25 };
        var uncounted = new ListQuery { OrderBy = DocumentOrder.Id, Descending = false, AfterId = 40, PageSize = 25, IncludeTotal = false };
        foreach (IDocumentStore store in new IDocumentStore[] { f.Store, f.Ef })
        {
            var withTotal = await store.ListAsync(counted);
            var withoutTotal = await store.ListAsync(uncounted);
            Assert.Equal(withTotal.Items, withoutTotal.Items);
            Assert.Equal(expected, withTotal.TotalCount);
            Assert.Equal((-1L, -1L), (withoutTotal.TotalCount, withoutTotal.PageCount));
        }

        // The result cache keeps the two apart: the same SQL page, another result.
        Assert.Equal(expected, (await f.Store.ListAsync(counted)).TotalCount);
        Assert.Equal(-1, (await f.Store.ListAsync(uncounted)).TotalCount);
    }

    [Fact]
    public async Task A_document_walk_runs_no_count_statement()
    {
        var commands = new ConcurrentQueue<string>();
        using var logging = LoggerFactory.Create(b => b.AddProvider(new CommandLog(commands)).SetMinimumLevel(LogLevel.Information));
        await using var f = new StoreFixture(path => new DocStoreOptions { DatabasePath = path, LoggerFactory = logging });
        await f.Store.CreateManyAsync(Enumerable.Range(0, 250).Select(i => Docs.New(title: "doc " + i)));
        commands.Clear();

        var walked = 0;
        await foreach (var page in DocumentWalk.PagesAsync(f.Store, pageSize: 50))
        {
            walked += page.Count;
        }

        Assert.Equal(250, walked);
        Assert.Contains(commands, c => c.Contains("LIMIT", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(commands, c => c.Contains("COUNT(*)", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Keeps the text of every command EF Core logs as executed.</summary>
    private sealed class CommandLog(ConcurrentQueue<string> commands) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new Logger(categoryName == "Microsoft.EntityFrameworkCore.Database.Command" ? commands : null);

        public void Dispose()
        {
        }

        private sealed class Logger(ConcurrentQueue<string>? commands) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => commands is not null;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                commands?.Enqueue(formatter(state, exception));
        }
    }
}
