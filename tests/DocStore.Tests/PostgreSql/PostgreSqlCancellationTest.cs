using DocStore.Fast;
using DocStore.Tests.Infrastructure;

namespace DocStore.Tests.PostgreSql;

/// <summary>
/// Reads on PostgreSQL cancelled at random moments, many at once: every call ends with its result, an
/// <see cref="OperationCanceledException"/> or a typed DocStore error, and a cancel that lands on a snapshot's COMMIT
/// or ROLLBACK does not leave the pooled reader unusable for the calls after it.
/// </summary>
public sealed class PostgreSqlCancellationTest
{
    [Fact]
    public async Task Reads_cancelled_at_random_moments_fail_only_as_cancelled_and_leave_the_readers_usable()
    {
        await using var db = new PostgresDatabase();
        await using var store = new OptimizedStorageSystem(new OptimizedStorageOptions
        {
            Engine = DocStoreEngine.PostgreSql,
            ConnectionString = db.ConnectionString,
            EnableAccessTracking = false,
            // Listings and searches then always read the database, in a snapshot.
            ResultCacheEntries = 0,
            PoolSize = 4,
        });
        // Long documents whose match is at the end: a search's snippets take a while, and the snippet code stops as soon
        // as it sees the token, while the server is still being asked to cancel (the moment the bug needed).
        var filler = string.Join(' ', Enumerable.Range(0, 3_000).Select(i => "filler" + (i % 300)));
        await store.CreateManyAsync(Enumerable.Range(0, 300).Select(i => Docs.New(title: "doc " + i, content: filler + " alpha beta word" + (i % 50))).ToList());

        var (completed, cancelled, unexpected) = await RandomCancels.RunAsync(
            TimeSpan.FromSeconds(6),
            (random, token) => random.Next(4) == 0
                ? store.ListAsync(new ListQuery { PageSize = 50, Page = 1 + random.Next(3) }, token)
                : store.SearchAsync(new SearchQuery { Text = "alpha word" + random.Next(50) }, token));

        Assert.True(unexpected.Count == 0, string.Join("\n", unexpected.Take(3)));
        Assert.True(completed > 0 && cancelled > 0, $"completed {completed}, cancelled {cancelled}");

        // Every reader still serves.
        for (var i = 0; i < 8; i++)
        {
            Assert.Equal(300, (await store.ListAsync(new ListQuery { PageSize = 10 })).TotalCount);
        }
    }
}
