using DocStore.Fast;
using DocStore.Tests.Infrastructure;

namespace DocStore.Tests;

/// <summary>
/// The multi-instance contract (README, "Several instances on one file" and "On PostgreSQL"): any number of
/// instances, in one process or several, may open a store; a read in one instance that starts after another
/// instance's write returned sees that write, from every read API and through every cache (on PostgreSQL with
/// <see cref="PostgreSqlOptions.Strict"/>, or once <see cref="PostgreSqlOptions.MaxStaleness"/> has passed
/// without it). Each claim is tested on both engines with a second instance in another process, and once with
/// two instances in this process.
/// </summary>
public sealed class MultiInstanceTest
{
    /// <summary>The bound a non-strict PostgreSQL instance is opened with here (shorter than the default, to keep the tests quick).</summary>
    private static readonly TimeSpan Staleness = TimeSpan.FromMilliseconds(300);

    public static TheoryData<string> Engines => ["sqlite", "postgresql-strict", "postgresql"];

    private static OptimizedStorageSystem Open(string path) => new(new OptimizedStorageOptions { DatabasePath = path });

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task A_write_in_another_process_is_seen_by_every_read_that_starts_after_it_returned(string engine)
    {
        await using var shared = new SharedStore(engine);
        await using var a = shared.Open();
        var doc = await a.CreateAsync(Docs.New(title: "shared", content: "original"));
        using var b = await StoreServerProcess.StartAsync(shared.Target);

        for (var round = 2; round <= 6; round++)
        {
            // Fill every cache of A first: L1 by id and by UUID, get-many, and the result cache.
            Assert.Equal(round - 1, (await a.GetAsync(doc.Id))!.Version);
            await a.GetByUuidAsync(doc.Uuid);
            await a.GetManyAsync([doc.Id]);
            await a.ListAsync(new ListQuery());
            await a.SearchAsync(new SearchQuery { Text = "shared" });

            Assert.Equal(round, await b.UpdateAsync(doc.Id, "content" + round));
            await shared.WaitForTheBoundAsync();

            Assert.Equal(round, (await a.GetAsync(doc.Id))!.Version);
            Assert.Equal(round, (await a.GetByUuidAsync(doc.Uuid))!.Version);
            Assert.Equal(round, (await a.GetManyAsync([doc.Id])).Single().Version);
            Assert.Equal(round, (await a.ListAsync(new ListQuery())).Items.Single().Version);
            Assert.Equal(round, (await a.SearchAsync(new SearchQuery { Text = "shared" })).Items.Single().Document.Version);
            Assert.Equal("content" + round, (await a.GetAsync(doc.Id))!.Content);
        }

        if (engine == "sqlite")
        {
            // Found through the mapped WAL index, not the polling fallback.
            Assert.True(((DocStore.Fast.Coherence.InstanceCoherence)a.FastLayer.Coherence).Mapped);
            Assert.True(a.GetFastPathStatistics().CoherenceRefreshes >= 5);
        }
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Soft_and_hard_deletes_in_another_process_disappear_from_this_one(string engine)
    {
        await using var shared = new SharedStore(engine);
        await using var a = shared.Open();
        var soft = await a.CreateAsync(Docs.New(title: "soft", content: "gone"));
        var hard = await a.CreateAsync(Docs.New(title: "hard", content: "gone"));
        using var b = await StoreServerProcess.StartAsync(shared.Target);
        Assert.NotNull(await a.GetAsync(soft.Id));
        Assert.NotNull(await a.GetAsync(hard.Id));
        Assert.Equal(2, (await a.SearchAsync(new SearchQuery { Text = "gone" })).TotalCount);

        await b.SendAsync($"delete {soft.Id} soft");
        await b.SendAsync($"delete {hard.Id} hard");
        await shared.WaitForTheBoundAsync();

        Assert.Null(await a.GetAsync(soft.Id));
        Assert.Null(await a.GetAsync(hard.Id));
        Assert.Null(await a.GetByUuidAsync(hard.Uuid));
        Assert.Empty(await a.GetManyAsync([soft.Id, hard.Id]));
        Assert.Equal(0, (await a.SearchAsync(new SearchQuery { Text = "gone" })).TotalCount);
        Assert.Equal(0, (await a.ListAsync(new ListQuery())).TotalCount);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task After_a_version_conflict_caused_by_another_process_a_re_read_gives_the_version_to_retry_with(string engine)
    {
        await using var shared = new SharedStore(engine);
        await using var a = shared.Open();
        var doc = await a.CreateAsync(Docs.New(content: "v1"));
        using var b = await StoreServerProcess.StartAsync(shared.Target);

        for (var round = 0; round < 10; round++)
        {
            var seen = (await a.GetAsync(doc.Id))!;
            await b.UpdateAsync(doc.Id, "b" + round);
            await shared.WaitForTheBoundAsync();
            var conflict = await Assert.ThrowsAsync<VersionConflictException>(() => a.UpdateAsync(doc.Id, new DocumentUpdate { Content = "a" + round, ExpectedVersion = seen.Version }));
            var reread = (await a.GetAsync(doc.Id))!;
            Assert.Equal(conflict.ActualVersion, reread.Version);
            var retried = await a.UpdateAsync(doc.Id, new DocumentUpdate { Content = "a" + round, ExpectedVersion = reread.Version });
            Assert.Equal(reread.Version + 1, retried.Version);
        }
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Concurrent_writers_in_two_processes_lose_no_update(string engine)
    {
        await using var shared = new SharedStore(engine);
        await using var a = shared.Open();
        var doc = await a.CreateAsync(Docs.New(content: "0"));
        using var b = await StoreServerProcess.StartAsync(shared.Target);
        const int Each = 40;

        // Each side increments the content with a read-modify-write guarded by the expected version.
        async Task IncrementAsync(Func<Task<(int Version, int Value)>> read, Func<int, int, Task<bool>> write)
        {
            for (var done = 0; done < Each;)
            {
                var (version, value) = await read();
                if (await write(version, value + 1))
                {
                    done++;
                }
            }
        }

        await Task.WhenAll(
            IncrementAsync(
                async () => { var d = (await a.GetAsync(doc.Id))!; return (d.Version, int.Parse(d.Content)); },
                async (version, value) =>
                {
                    try
                    {
                        await a.UpdateAsync(doc.Id, new DocumentUpdate { Content = value.ToString(System.Globalization.CultureInfo.InvariantCulture), ExpectedVersion = version });
                        return true;
                    }
                    catch (VersionConflictException)
                    {
                        return false;
                    }
                }),
            IncrementAsync(
                async () => { var w = await b.SendAsync($"get {doc.Id}"); return (int.Parse(w[1]), int.Parse(w[2])); },
                async (version, value) =>
                {
                    try
                    {
                        await b.UpdateAsync(doc.Id, value.ToString(System.Globalization.CultureInfo.InvariantCulture), version);
                        return true;
                    }
                    catch (InvalidOperationException e) when (e.Message.Contains("conflict", StringComparison.Ordinal))
                    {
                        return false;
                    }
                }));

        var final = (await a.GetAsync(doc.Id))!;
        Assert.Equal(2 * Each, int.Parse(final.Content));
        Assert.Equal(1 + (2 * Each), final.Version);
        Assert.Equal(1 + (2 * Each), (await a.GetVersionsAsync(doc.Id)).Count);
        Assert.True((await a.VerifyAsync()).IsHealthy);
    }

    [Fact]
    public async Task Two_instances_in_one_process_see_each_others_writes()
    {
        using var temp = new TempDirectory();
        var path = temp.File("shared.db");
        await using var a = Open(path);
        await using var b = Open(path);
        var doc = await a.CreateAsync(Docs.New(title: "twin", content: "one"));
        Assert.Equal(1, (await b.GetAsync(doc.Id))!.Version);
        Assert.Equal(1, (await a.GetAsync(doc.Id))!.Version);
        await b.UpdateAsync(doc.Id, new DocumentUpdate { Content = "two" });
        Assert.Equal("two", (await a.GetAsync(doc.Id))!.Content);
        await a.DeleteAsync(doc.Id);
        Assert.Null(await b.GetAsync(doc.Id));
        Assert.Equal(0, (await b.SearchAsync(new SearchQuery { Text = "twin" })).TotalCount);
    }

    /// <summary>
    /// One store two instances share: a file in a temporary folder, or a fresh PostgreSQL database. Instances
    /// opened here on PostgreSQL are strict ("postgresql-strict") or bounded by <see cref="Staleness"/>.
    /// </summary>
    private sealed class SharedStore : IAsyncDisposable
    {
        private readonly string _engine;
        private readonly TempDirectory? _temp;
        private readonly PostgresDatabase? _database;

        public SharedStore(string engine)
        {
            _engine = engine;
            if (engine == "sqlite")
            {
                _temp = new TempDirectory();
            }
            else
            {
                _database = new PostgresDatabase();
            }
        }

        /// <summary>The file, or the connection string, the other process opens.</summary>
        public string Target => _temp?.File("shared.db") ?? _database!.ConnectionString;

        public OptimizedStorageSystem Open() => _database is null
            ? MultiInstanceTest.Open(Target)
            : new OptimizedStorageSystem(new OptimizedStorageOptions
            {
                Engine = DocStoreEngine.PostgreSql,
                ConnectionString = Target,
                PostgreSql = new PostgreSqlOptions { Strict = _engine == "postgresql-strict", MaxStaleness = Staleness },
            });

        /// <summary>Without the strict option, the guarantee covers reads that start the bound after the write returned.</summary>
        public Task WaitForTheBoundAsync() => _engine == "postgresql" ? Task.Delay(Staleness) : Task.CompletedTask;

        public async ValueTask DisposeAsync()
        {
            _temp?.Dispose();
            if (_database is not null)
            {
                await _database.DisposeAsync();
            }
        }
    }
}
