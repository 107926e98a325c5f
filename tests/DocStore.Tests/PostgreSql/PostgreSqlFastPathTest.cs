using System.Diagnostics;
using DocStore.Fast;
using DocStore.PostgreSql;
using DocStore.Tests.Fast;
using DocStore.Tests.Infrastructure;

namespace DocStore.Tests.PostgreSql;

/// <summary>
/// The fast path on PostgreSQL: the same answers as the plain path, and caches kept coherent across instances by
/// the change feed, with notifications lost, the listener killed, the sequence forged, and 10,000 changes missed.
/// </summary>
public sealed class PostgreSqlFastPathTest
{
    private static readonly TimeSpan Staleness = TimeSpan.FromMilliseconds(400);

    private static OptimizedStorageSystem Open(PostgresDatabase db, bool strict = false, int cacheCapacity = 10_000) => new(new OptimizedStorageOptions
    {
        Engine = DocStoreEngine.PostgreSql,
        ConnectionString = db.ConnectionString,
        EnableAccessTracking = false,
        CacheCapacity = cacheCapacity,
        PoolSize = 4,
        PostgreSql = new PostgreSqlOptions { MaxStaleness = Staleness, Strict = strict },
    });

    private static PostgreSqlCoherence Coherence(OptimizedStorageSystem store) => (PostgreSqlCoherence)store.FastLayer.Coherence;

    [Fact]
    public async Task Fast_and_plain_paths_agree_before_and_after_random_writes()
    {
        await using var db = new PostgresDatabase();
        await using var store = Open(db);
        var random = new Random(29);
        var seeded = await ListTest.SeedAsync(store, 150, seed: 7);
        await EquivalenceTest.CompareAsync(store, seeded, random, 40);
        for (var i = 0; i < 40; i++)
        {
            var doc = seeded[random.Next(seeded.Count)];
            if (await store.GetAsync(doc.Id) is { } current)
            {
                if (random.Next(4) == 0)
                {
                    await store.DeleteAsync(doc.Id);
                }
                else
                {
                    await store.UpdateAsync(doc.Id, new DocumentUpdate { Content = current.Content + " more", Tags = ["red", "x" + i] });
                }
            }
        }

        await EquivalenceTest.CompareAsync(store, seeded, random, 40);
        Assert.True(store.GetFastPathStatistics().CacheHits > 0);
    }

    [Fact]
    public async Task Another_instances_write_is_seen_within_the_bound_and_usually_at_once_through_notifications()
    {
        await using var db = new PostgresDatabase();
        await using var a = Open(db);
        await using var b = Open(db);
        var doc = await a.CreateAsync(Docs.New(content: "v1"));
        Assert.Equal("v1", (await a.GetAsync(doc.Id))!.Content);
        Assert.Equal("v1", (await a.GetAsync(doc.Id))!.Content); // cached now

        var latencies = new List<TimeSpan>();
        for (var i = 2; i <= 6; i++)
        {
            await b.UpdateAsync(doc.Id, new DocumentUpdate { Content = "v" + i });
            var returned = Stopwatch.StartNew();
            while (true)
            {
                var readStarted = returned.Elapsed;
                if ((await a.GetAsync(doc.Id))!.Content == "v" + i)
                {
                    break;
                }

                Assert.True(readStarted < Staleness, $"a read that started {readStarted} after the write returned served an older version");
                await Task.Delay(5);
            }

            latencies.Add(returned.Elapsed);
        }

        // Notifications normally carry a change across in milliseconds, well inside the bound.
        Assert.True(latencies.Order().ElementAt(2) < Staleness / 2, string.Join(", ", latencies));
        Assert.True(a.GetFastPathStatistics().CacheHits > 0);
    }

    [Fact]
    public async Task With_every_notification_lost_a_read_that_starts_after_the_bound_sees_the_write()
    {
        await using var db = new PostgresDatabase();
        await using var a = Open(db);
        await using var b = Open(db);
        Coherence(a).DropNotification = _ => true;
        var docs = await a.CreateManyAsync(Enumerable.Range(0, 5).Select(i => Docs.New(title: "d" + i, content: "old")).ToList());
        foreach (var doc in docs)
        {
            await a.GetAsync(doc.Id);
        }

        for (var round = 0; round < 5; round++)
        {
            var target = docs[round];
            await b.UpdateAsync(target.Id, new DocumentUpdate { Content = "new " + round });
            await Task.Delay(Staleness);
            Assert.Equal("new " + round, (await a.GetAsync(target.Id))!.Content);
            Assert.Equal("new " + round, (await a.ListAsync(new ListQuery { OrderBy = DocumentOrder.Id, Descending = false, PageSize = 10 })).Items[round].Content);
        }
    }

    [Fact]
    public async Task A_killed_listener_stops_cache_hits_until_it_is_back_and_loses_no_change()
    {
        await using var db = new PostgresDatabase();
        await using var a = Open(db);
        await using var b = Open(db);
        var doc = await a.CreateAsync(Docs.New(content: "before"));
        await a.GetAsync(doc.Id);
        await WaitUntilAsync(() => Coherence(a).Listening);

        var hits = a.GetFastPathStatistics().CacheHits;
        Assert.True(db.Scalar($"SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = '{PostgreSqlEngine.ListenerName}' AND datname = current_database()") >= 2);
        await b.UpdateAsync(doc.Id, new DocumentUpdate { Content = "while a's listener was down" });

        // Its notification never reaches a; once the last confirmation is older than the bound, a reads the database.
        await Task.Delay(Staleness);
        Assert.Equal("while a's listener was down", (await a.GetAsync(doc.Id))!.Content);
        await WaitUntilAsync(() => Coherence(a).Listening && a.FastLayer.Coherence.IsCurrent);
        Assert.Equal("while a's listener was down", (await a.GetAsync(doc.Id))!.Content);
        Assert.True(a.GetFastPathStatistics().CacheHits > hits);
    }

    [Fact]
    public async Task A_hung_listener_stops_cache_hits_once_its_last_confirmation_is_older_than_the_bound()
    {
        await using var db = new PostgresDatabase();
        await using var a = Open(db);
        await using var b = Open(db);
        var doc = await a.CreateAsync(Docs.New(content: "before"));
        await a.GetAsync(doc.Id);
        await WaitUntilAsync(() => a.FastLayer.Coherence.IsCurrent);

        Coherence(a).Stalled = true;
        await b.UpdateAsync(doc.Id, new DocumentUpdate { Content = "while a's listener hung" });
        await Task.Delay(Staleness);
        Assert.False(a.FastLayer.Coherence.IsCurrent);
        Assert.Equal("while a's listener hung", (await a.GetAsync(doc.Id))!.Content);
        Assert.Equal("while a's listener hung", (await a.ListAsync(new ListQuery())).Items.Single().Content);

        Coherence(a).Stalled = false;
        await WaitUntilAsync(() => a.FastLayer.Coherence.IsCurrent);
        var hits = a.GetFastPathStatistics().CacheHits;
        Assert.Equal("while a's listener hung", (await a.GetAsync(doc.Id))!.Content);
        Assert.Equal(hits + 1, a.GetFastPathStatistics().CacheHits);
    }

    [Fact]
    public async Task A_forged_jump_in_the_sequence_and_more_than_ten_thousand_missed_changes_empty_the_cache()
    {
        await using var db = new PostgresDatabase();
        await using var a = Open(db);
        var docs = await a.CreateManyAsync(Enumerable.Range(0, 20).Select(i => Docs.New(title: "d" + i)).ToList());
        foreach (var doc in docs)
        {
            await a.GetAsync(doc.Id);
        }

        Assert.Equal(20, a.GetFastPathStatistics().CacheCount);
        db.Scalar("UPDATE docstore_changes SET head = head + 3");
        await WaitUntilAsync(() => a.GetFastPathStatistics().CacheCount == 0);

        foreach (var doc in docs)
        {
            await a.GetAsync(doc.Id);
        }

        // 10,001 changes logged with no notification (as if the listener had been away for them).
        db.Scalar($"""
            INSERT INTO docstore_change_log (change, document_ids)
                SELECT h.head + g, ARRAY[{docs[0].Id}]::bigint[] FROM docstore_changes h, generate_series(1, {PostgreSqlCoherence.MaxCatchUp + 1}) g;
            UPDATE docstore_changes SET head = head + {PostgreSqlCoherence.MaxCatchUp + 1};
            """);
        await WaitUntilAsync(() => a.GetFastPathStatistics().CacheCount == 0);
        db.Scalar($"UPDATE documents SET title = 'changed outside' WHERE id = {docs[5].Id}");
        Assert.Equal("changed outside", (await a.GetAsync(docs[5].Id))!.Title);
    }

    [Theory]
    [InlineData("malformed")]
    [InlineData("forged")]
    public async Task Payloads_others_send_on_the_channel_neither_end_the_process_nor_hide_a_change(string kind)
    {
        await using var db = new PostgresDatabase();
        await using var a = Open(db);
        await using var b = Open(db);
        var doc = await a.CreateAsync(Docs.New(content: "before"));
        await a.GetAsync(doc.Id);
        await WaitUntilAsync(() => Coherence(a).Listening && a.FastLayer.Coherence.IsCurrent);

        // NOTIFY needs no privilege on any table, so anyone connected may send one. Malformed payloads reach the
        // parsing of the number and of an id list (as earlier versions sent); a forged one announces the next change
        // as another document's, before the real change with that number commits.
        var next = Coherence(a).Known + 1;
        string[] payloads = kind == "forged"
            ? [$"{next}:{doc.Id + 1000}"]
            : ["", "garbage", ":", "99999999999999999999999", "-5", $"{next}:x", $"{next}:", $"{next}:1,,2"];
        foreach (var payload in payloads)
        {
            db.Scalar($"SELECT pg_notify('{PostgreSqlSchema.Channel}', '{payload}')");
        }

        await Task.Delay(50);
        await b.UpdateAsync(doc.Id, new DocumentUpdate { Content = "the real change" });
        var returned = Stopwatch.StartNew();
        while ((await a.GetAsync(doc.Id))!.Content != "the real change")
        {
            Assert.True(returned.Elapsed < Staleness, $"a read that started {returned.Elapsed} after the write returned served an older version");
            await Task.Delay(5);
        }

        // The listener is still up and confirming, so once it has applied the real change the cache serves hits again.
        await WaitUntilAsync(() => Coherence(a).Known >= next && Coherence(a).Listening && a.FastLayer.Coherence.IsCurrent);
        await a.GetAsync(doc.Id);
        var hits = a.GetFastPathStatistics().CacheHits;
        Assert.Equal("the real change", (await a.GetAsync(doc.Id))!.Content);
        Assert.Equal(hits + 1, a.GetFastPathStatistics().CacheHits);
    }

    [Fact]
    public async Task Closing_a_store_with_a_long_staleness_bound_does_not_wait_for_the_next_heartbeat()
    {
        await using var db = new PostgresDatabase();
        var store = new OptimizedStorageSystem(new OptimizedStorageOptions
        {
            Engine = DocStoreEngine.PostgreSql,
            ConnectionString = db.ConnectionString,
            EnableAccessTracking = false,
            PostgreSql = new PostgreSqlOptions { MaxStaleness = TimeSpan.FromMinutes(1) },
        });
        await store.CreateAsync(Docs.New());
        await WaitUntilAsync(() => Coherence(store).Listening);

        // The listener waits for notifications between heartbeats (30 s apart here); closing must not wait with it.
        var closing = Stopwatch.StartNew();
        await store.DisposeAsync();
        Assert.True(closing.Elapsed < TimeSpan.FromSeconds(5), $"closing took {closing.Elapsed}");
        Assert.Equal(0, db.Scalar($"SELECT count(*) FROM pg_stat_activity WHERE application_name = '{PostgreSqlEngine.ListenerName}' AND datname = current_database()"));
    }

    [Fact]
    public async Task Strict_sees_another_instances_write_at_once_and_still_serves_hits()
    {
        await using var db = new PostgresDatabase();
        await using var a = Open(db, strict: true);
        await using var b = Open(db);
        Coherence(a).DropNotification = _ => true;
        var doc = await a.CreateAsync(Docs.New(content: "v1"));
        await a.GetAsync(doc.Id);
        for (var i = 2; i <= 20; i++)
        {
            await b.UpdateAsync(doc.Id, new DocumentUpdate { Content = "v" + i });
            Assert.Equal("v" + i, (await a.GetAsync(doc.Id))!.Content);
            Assert.Equal("v" + i, (await a.GetAsync(doc.Id))!.Content);
        }

        Assert.True(a.GetFastPathStatistics().CacheHits >= 19);
    }

    [Fact]
    public async Task No_reader_goes_backwards_while_another_instance_writes()
    {
        await using var db = new PostgresDatabase();
        await using var a = Open(db);
        await using var b = Open(db);
        var doc = await a.CreateAsync(Docs.New(content: "0"));
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(3));
        var writer = Task.Run(async () =>
        {
            var n = 0;
            while (!stop.IsCancellationRequested)
            {
                await b.UpdateAsync(doc.Id, new DocumentUpdate { Content = (++n).ToString(System.Globalization.CultureInfo.InvariantCulture) });
            }

            return n;
        });
        using var start = new Barrier(2);
        var readers = Enumerable.Range(0, 2).Select(_ => Task.Run(async () =>
        {
            start.SignalAndWait();
            var last = 0;
            var reads = 0;
            while (!stop.IsCancellationRequested)
            {
                var version = (await a.GetAsync(doc.Id))!.Version;
                Assert.True(version >= last, $"read v{version} after v{last}");
                last = version;
                if (++reads % 256 == 0)
                {
                    // Cache hits complete without yielding: on two cores the writer needs a turn.
                    await Task.Delay(1);
                }
            }

            return reads;
        })).ToList();
        var writes = await writer;
        var total = (await Task.WhenAll(readers)).Sum();
        Assert.True(writes > 10 && total > 100, $"{writes} writes, {total} reads");
        await Task.Delay(Staleness);
        Assert.Equal(1 + writes, (await a.GetAsync(doc.Id))!.Version);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var waited = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(20), "the condition did not come true within 20 s");
            await Task.Delay(20);
        }
    }
}
