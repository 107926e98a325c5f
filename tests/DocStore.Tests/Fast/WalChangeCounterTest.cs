using DocStore.Fast.Sqlite;
using DocStore.Tests.Infrastructure;

namespace DocStore.Tests.Fast;

/// <summary>
/// The change counter's polling fallback, used where the WAL index cannot be mapped: it still sees another
/// connection's commits, and its timer callbacks, which overlap when the thread pool runs late, never share its
/// connection or end the process.
/// </summary>
public sealed class WalChangeCounterTest
{
    private static WalChangeCounter Polling(StoreFixture f) =>
        // A path whose -shm file cannot exist, so mapping fails; the poll connection reads the real file.
        new(f.Directory.File(Path.Combine("no such folder", "store.db")), $"Data Source={f.Path};Mode=ReadOnly;Pooling=False", null);

    [Fact]
    public async Task Without_a_mapped_WAL_index_the_counter_moves_after_another_connections_commit()
    {
        await using var f = new StoreFixture();
        await f.Store.CreateAsync(Docs.New(title: "before"));
        using var counter = Polling(f);
        Assert.False(counter.Mapped);

        var before = counter.Current;
        await Task.Delay(WalChangeCounter.PollInterval * 3);
        Assert.Equal(before, counter.Current);

        await f.Store.CreateAsync(Docs.New(title: "after"));
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (counter.Current == before)
        {
            Assert.True(DateTime.UtcNow < deadline, "the polling counter did not see the commit within 10 s");
            await Task.Delay(10);
        }
    }

    [Fact]
    public async Task Polls_running_together_neither_throw_nor_stop_seeing_commits()
    {
        await using var f = new StoreFixture();
        using var counter = Polling(f);

        // Timer callbacks overlap when the thread pool runs late: eight threads released together poll at once
        // while the store commits.
        using var start = new Barrier(9);
        var pollers = Enumerable.Range(0, 8).Select(_ => Task.Factory.StartNew(
            () =>
            {
                start.SignalAndWait();
                for (var i = 0; i < 2_000; i++)
                {
                    counter.Poll();
                }
            },
            TaskCreationOptions.LongRunning)).ToArray();
        start.SignalAndWait();
        for (var i = 0; i < 20; i++)
        {
            await f.Store.CreateAsync(Docs.New(title: "during " + i));
        }

        await Task.WhenAll(pollers);
        var before = counter.Current;
        await f.Store.CreateAsync(Docs.New(title: "after"));
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (counter.Current == before)
        {
            Assert.True(DateTime.UtcNow < deadline, "the polling counter stopped seeing commits after polls overlapped");
            await Task.Delay(10);
        }
    }
}
