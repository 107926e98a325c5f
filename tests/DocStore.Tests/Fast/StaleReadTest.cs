using DocStore.Fast;
using DocStore.Tests.Infrastructure;

namespace DocStore.Tests.Fast;

/// <summary>Invariant 2: once a write's call has returned, no read that starts afterwards returns an older version.</summary>
public sealed class StaleReadTest
{
    [Fact]
    public async Task A_reader_that_read_before_a_commit_does_not_put_the_old_version_in_the_cache()
    {
        await using var f = new OptimizedFixture(path => new OptimizedStorageOptions { DatabasePath = path, EnableAccessTracking = false });
        var doc = await f.Store.CreateAsync(Docs.New(content: "v1"));
        f.Store.ClearCache();

        using var readerPaused = new ManualResetEventSlim();
        using var writerDone = new ManualResetEventSlim();
        f.Store.FastLayer.AfterDatabaseRead = id =>
        {
            if (id == doc.Id && !writerDone.IsSet)
            {
                readerPaused.Set();
                writerDone.Wait(TimeSpan.FromSeconds(30));
            }
        };

        // The reader reads v1 from SQLite, then pauses before offering it to the cache.
        var reader = Task.Run(async () => await f.Store.GetAsync(doc.Id));
        Assert.True(readerPaused.Wait(TimeSpan.FromSeconds(30)));

        // Meanwhile a writer commits v2 (and invalidates) and returns.
        var v2 = await f.Store.UpdateAsync(doc.Id, new DocumentUpdate { Content = "v2" });
        writerDone.Set();

        var old = await reader;
        Assert.Equal(1, old!.Version);
        f.Store.FastLayer.AfterDatabaseRead = null;

        // Every read that starts now must see v2, from the cache or not.
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(v2, await f.Store.GetAsync(doc.Id));
        }
    }

    [Fact]
    public async Task Concurrent_readers_never_see_versions_go_back_or_miss_a_returned_update()
    {
        await using var f = new OptimizedFixture(path => new OptimizedStorageOptions { DatabasePath = path, CacheCapacity = 64, PoolSize = 8 });
        var docs = await f.Store.CreateManyAsync(Enumerable.Range(0, 20).Select(i => Docs.New(title: "doc " + i)));
        var ids = docs.Select(d => d.Id).ToArray();

        // committed[i]: the highest version whose UpdateAsync has returned for document i.
        var committed = new int[ids.Length];
        Array.Fill(committed, 1);
        using var window = new StressWindow(TimeSpan.FromSeconds(3));
        var violations = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var reads = 0L;

        var writers = Enumerable.Range(0, 2).Select(w => Task.Run(async () =>
        {
            var random = new Random(w);
            window.WaitForStart();
            for (var n = 0L; window.Running(n); n++)
            {
                var i = random.Next(ids.Length / 2) * 2 + w;
                var updated = await f.Store.UpdateAsync(ids[i], new DocumentUpdate { Content = "content " + random.Next() });
                Volatile.Write(ref committed[i], updated.Version);
            }
        })).ToArray();

        var readers = Enumerable.Range(0, 4).Select(r => Task.Run(async () =>
        {
            var random = new Random(100 + r);
            var lastSeen = new int[ids.Length];
            window.WaitForStart();
            for (var n = 0L; window.Running(n, minimum: 300); n++)
            {
                var i = random.Next(ids.Length);
                var floor = Volatile.Read(ref committed[i]);
                var read = random.Next(3) switch
                {
                    0 => (await f.Store.GetManyAsync([ids[i]])).Single(),
                    1 => (await f.Store.GetByUuidAsync(docs[i].Uuid))!,
                    _ => (await f.Store.GetAsync(ids[i]))!,
                };
                Interlocked.Increment(ref reads);
                if (read.Version < floor)
                {
                    violations.Enqueue($"doc {i}: read v{read.Version} after v{floor} had returned");
                }

                if (read.Version < lastSeen[i])
                {
                    violations.Enqueue($"doc {i}: v{read.Version} after this reader saw v{lastSeen[i]}");
                }

                lastSeen[i] = Math.Max(lastSeen[i], read.Version);
            }
        })).ToArray();

        window.Start();
        await Task.WhenAll(writers.Concat(readers));

        Assert.Empty(violations);
        Assert.True(reads > 1000, $"only {reads} reads");
        for (var i = 0; i < ids.Length; i++)
        {
            Assert.Equal(committed[i], (await f.Store.GetAsync(ids[i]))!.Version);
        }

        Assert.Equal("ok", (string)new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={f.Path}").Also(c => c.Open()).ExecuteScalar("PRAGMA integrity_check")!);
    }

    [Fact]
    public async Task Flipping_the_fast_path_flag_during_concurrent_reads_never_returns_a_wrong_result()
    {
        await using var f = new OptimizedFixture(path => new OptimizedStorageOptions { DatabasePath = path, EnableAccessTracking = false, PoolSize = 4 });
        var docs = await f.Store.CreateManyAsync(Enumerable.Range(0, 30).Select(i => Docs.New(title: "flag " + i, content: "flagword " + i)));
        var expected = docs.ToDictionary(d => d.Id);
        var expectedTotal = (await f.Ef.SearchAsync(new SearchQuery { Text = "flagword" })).TotalCount;

        // Both paths warmed before the window: the first fallback read builds EF Core's model, which on a loaded
        // machine took longer than the whole window and left every read on one path (a failed loaded run).
        f.Store.FastPathEnabled = false;
        Assert.Equal(expected[docs[0].Id], await f.Store.GetAsync(docs[0].Id));
        Assert.Equal(expectedTotal, (await f.Store.SearchAsync(new SearchQuery { Text = "flagword" })).TotalCount);
        f.Store.FastPathEnabled = true;
        var warm = f.Store.GetFastPathStatistics();

        using var window = new StressWindow(TimeSpan.FromSeconds(2));
        var wrong = new System.Collections.Concurrent.ConcurrentQueue<string>();
        using var readersDone = new CancellationTokenSource();

        // The flipper keeps flipping until the last reader is done (not on a clock of its own), so the readers'
        // iterations see the flag change whatever the scheduler does.
        var flipper = Task.Factory.StartNew(
            () =>
            {
                window.WaitForStart();
                while (!readersDone.IsCancellationRequested)
                {
                    f.Store.FastPathEnabled = !f.Store.FastPathEnabled;
                    Thread.Sleep(1);
                }
            },
            CancellationToken.None,
            TaskCreationOptions.LongRunning, // its own thread: it must not wait for the pool to grow
            TaskScheduler.Default);
        var readers = Enumerable.Range(0, 3).Select(r => Task.Run(async () =>
        {
            var random = new Random(r);
            window.WaitForStart();
            for (var n = 0L; window.Running(n); n++)
            {
                var doc = docs[random.Next(docs.Count)];
                var enabled = f.Store.FastPathEnabled;
                var read = await f.Store.GetAsync(doc.Id);
                if (!Equals(expected[doc.Id], read))
                {
                    wrong.Enqueue($"get {doc.Id} (fast path {enabled}): expected {expected[doc.Id]}, got {read?.ToString() ?? "null"}");
                }

                var total = (await f.Store.SearchAsync(new SearchQuery { Text = "flagword" })).TotalCount;
                if (total != expectedTotal)
                {
                    wrong.Enqueue($"search total {total}, expected {expectedTotal}");
                }
            }
        })).ToArray();

        window.Start();
        try
        {
            await Task.WhenAll(readers);
        }
        finally
        {
            await readersDone.CancelAsync();
            await flipper;
        }

        Assert.Empty(wrong);
        var stats = f.Store.GetFastPathStatistics();
        var (fast, fallback) = (stats.FastReads - warm.FastReads, stats.FallbackReads - warm.FallbackReads);
        Assert.True(fast > 0 && fallback > 0, $"during the window: fast {fast}, fallback {fallback}");
    }
}

internal static class ConnectionExtensions
{
    public static T Also<T>(this T value, Action<T> action)
    {
        action(value);
        return value;
    }

    public static object? ExecuteScalar(this Microsoft.Data.Sqlite.SqliteConnection connection, string sql)
    {
        using (connection)
        {
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            return command.ExecuteScalar();
        }
    }
}
