using DocStore.Fast;
using DocStore.TestHost;
using DocStore.Tests.Infrastructure;

namespace DocStore.Tests.PostgreSql;

/// <summary>
/// A store outlives a restart of its server: a read that meets a broken connection runs once more on a new one, a write
/// (which may have committed) fails with a typed error, and the store
/// then reads and writes again on new connections, with no restart of the application. On a cluster of the test's own.
/// </summary>
public sealed class ServerRestartTest
{
    // Strict reads the change head on a pooled connection on every call, so its first call after the crash always
    // meets a connection the crash broke on the coherence path, not only on the readers' and the writer's.
    // The plain store reads and writes through EF Core's connections alone.
    [Theory]
    [InlineData("fast")]
    [InlineData("fast-strict")]
    [InlineData("plain")]
    public async Task After_the_server_crashes_and_restarts_no_read_fails_and_a_write_fails_at_most_once_and_typed(string path)
    {
        using var cluster = new PostgresCluster();
        cluster.Start();
        await using IDocumentStore store = path == "plain"
            ? new LocalStorageSystem(new DocStoreOptions { Engine = DocStoreEngine.PostgreSql, ConnectionString = cluster.ConnectionString })
            : new OptimizedStorageSystem(new OptimizedStorageOptions
            {
                Engine = DocStoreEngine.PostgreSql,
                ConnectionString = cluster.ConnectionString,
                CacheCapacity = 0,
                ResultCacheEntries = 0,
                PostgreSql = new PostgreSqlOptions { Strict = path == "fast-strict" },
            });
        var doc = await store.CreateAsync(Docs.New(title: "survivor", content: "before the crash"));

        // Several readers open in the pool, each then holding a connection the crash breaks.
        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(async () => Assert.NotNull(await store.GetAsync(doc.Id)))));
        cluster.StopImmediately();
        cluster.Start();

        // Reads meet the broken connections first, and retry once on new ones: none fails. A write is not retried (it
        // may have committed before its connection broke), so the writer's broken connection may fail one.
        var failures = new List<Exception>();
        var version = doc.Version;
        for (var call = 0; call < 40; call++)
        {
            Assert.Equal(doc.Id, (await store.GetAsync(doc.Id))!.Id);
            Assert.Equal(doc.Id, Assert.Single((await store.GetManyAsync([doc.Id]))).Id);
            try
            {
                version = (await store.UpdateAsync(doc.Id, new DocumentUpdate { Content = $"after the crash {call}" })).Version;
            }
            catch (DocStoreException e)
            {
                failures.Add(e);
            }
        }

        Assert.True(failures.Count <= 1, $"{failures.Count} failures: {string.Join("; ", failures.Select(e => e.Message).Distinct())}");
        Assert.All(failures, e => Assert.IsType<StorageException>(e));
        Assert.Equal($"after the crash 39", (await store.GetAsync(doc.Id))!.Content);
        Assert.True(version >= doc.Version + 39);
        Assert.True((await store.VerifyAsync()).IsHealthy);
    }
}
