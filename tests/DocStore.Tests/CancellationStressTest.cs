using DocStore.Tests.Infrastructure;

namespace DocStore.Tests;

/// <summary>
/// Searches and writes on one store, cancelled at random moments on 8 threads: a call ends with its result, an
/// <see cref="OperationCanceledException"/> or a typed error of its own, never one a cancel meant for another call left
/// behind (an interrupt that left the snippet workspace refusing later searches with 'interrupted').
/// </summary>
public sealed class CancellationStressTest
{
    [Fact]
    public async Task Calls_cancelled_at_random_moments_never_leave_an_interrupt_for_later_calls()
    {
        await using var f = new StoreFixture();
        var ids = (await f.Store.CreateManyAsync(Enumerable.Range(0, 200).Select(i => Docs.New(title: "t" + i, content: "alpha beta gamma word" + i + " " + new string('x', i * 10))).ToList()))
            .Select(d => d.Id).ToArray();
        var unexpected = new System.Collections.Concurrent.ConcurrentQueue<Exception>();
        long cancelled = 0;
        using var start = new Barrier(8);
        var until = DateTime.UtcNow.AddSeconds(8);
        var workers = Enumerable.Range(0, 8).Select(t => Task.Run(async () =>
        {
            var random = new Random(t);
            start.SignalAndWait();
            while (DateTime.UtcNow < until)
            {
                using var cancel = new CancellationTokenSource(TimeSpan.FromMicroseconds(random.Next(0, 3_000)));
                try
                {
                    switch (random.Next(4))
                    {
                        case 0 or 1: await f.Store.SearchAsync(new SearchQuery { Text = "alpha word" + random.Next(200) }, cancel.Token); break;
                        case 2: await f.Store.CreateAsync(Docs.New(content: "delta " + random.Next()), cancel.Token); break;
                        default: await f.Store.UpdateAsync(ids[random.Next(ids.Length)], new DocumentUpdate { Content = "update " + random.Next() }, cancel.Token); break;
                    }
                }
                catch (OperationCanceledException)
                {
                    Interlocked.Increment(ref cancelled);
                }
                catch (Exception e) when (e.Message.Contains("interrupted", StringComparison.Ordinal) || e is not DocStoreException)
                {
                    unexpected.Enqueue(e);
                }
                catch (DocStoreException)
                {
                    // A write's own typed failure (a conflict with a concurrent update) is not this test's concern.
                }
            }
        })).ToArray();
        await Task.WhenAll(workers);

        Assert.True(unexpected.IsEmpty, $"{unexpected.Count} calls failed with errors they did not cause, e.g. {unexpected.FirstOrDefault()}");
        Assert.True(cancelled > 0);
    }
}
