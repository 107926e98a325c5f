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

        var (_, cancelled, unexpected) = await RandomCancels.RunAsync(
            TimeSpan.FromSeconds(8),
            (random, token) => random.Next(4) switch
            {
                0 or 1 => f.Store.SearchAsync(new SearchQuery { Text = "alpha word" + random.Next(200) }, token),
                2 => f.Store.CreateAsync(Docs.New(content: "delta " + random.Next()), token),
                _ => f.Store.UpdateAsync(ids[random.Next(ids.Length)], new DocumentUpdate { Content = "update " + random.Next() }, token),
            },
            // A write's own typed failure (a conflict with a concurrent update) is not this test's concern.
            e => e is DocStoreException && !e.Message.Contains("interrupted", StringComparison.Ordinal));

        Assert.True(unexpected.Count == 0, $"{unexpected.Count} calls failed with errors they did not cause, e.g. {unexpected.FirstOrDefault()}");
        Assert.True(cancelled > 0);
    }
}
