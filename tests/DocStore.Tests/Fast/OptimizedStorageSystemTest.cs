using System.Diagnostics.Metrics;
using DocStore.Fast;
using DocStore.Fast.Caching;
using DocStore.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace DocStore.Tests.Fast;

public sealed class OptimizedStorageSystemTest
{
    private static long Scalar(string path, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)command.ExecuteScalar()!;
    }

    /// <summary>Listens to this store's meter only (told apart by its db.path tag: other tests' stores run in parallel); <paramref name="seen"/> keeps each instrument's last value.</summary>
    private static MeterListener Listen(OptimizedStorageSystem store, out System.Collections.Concurrent.ConcurrentDictionary<string, double> seen)
    {
        var values = seen = new System.Collections.Concurrent.ConcurrentDictionary<string, double>();
        var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "DocStore" && instrument.Meter.Tags?.Any(t => t.Key == "db.path" && Equals(t.Value, store.Inner.DatabasePath)) == true)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((i, v, _, _) => values[i.Name] = v);
        listener.SetMeasurementEventCallback<int>((i, v, _, _) => values[i.Name] = v);
        listener.SetMeasurementEventCallback<double>((i, v, _, _) => values[i.Name] = v);
        listener.Start();
        return listener;
    }

    [Fact]
    public async Task Access_counts_are_exact_after_a_flush_and_reads_never_write()
    {
        await using var f = new OptimizedFixture(path => new OptimizedStorageOptions { DatabasePath = path, TrackingFlushInterval = TimeSpan.FromHours(1) });
        var docs = await f.Store.CreateManyAsync([Docs.New(title: "a"), Docs.New(title: "b")]);
        var before = Scalar(f.Path, "SELECT total_changes()");
        for (var i = 0; i < 7; i++)
        {
            await f.Store.GetAsync(docs[0].Id);
        }

        await f.Store.GetManyAsync([docs[0].Id, docs[1].Id]);
        await f.Store.GetByUuidAsync(docs[1].Uuid);
        Assert.Equal(0, Scalar(f.Path, "SELECT sum(access_count) FROM document_reads"));
        Assert.Equal(10, f.Store.GetFastPathStatistics().TrackingPending);

        Assert.Equal(10, await f.Store.FlushAccessTrackingAsync());
        Assert.Equal(8, Scalar(f.Path, $"SELECT access_count FROM document_reads WHERE document_id = {docs[0].Id}"));
        Assert.Equal(2, Scalar(f.Path, $"SELECT access_count FROM document_reads WHERE document_id = {docs[1].Id}"));
        var lastAccessed = new DateTime(Scalar(f.Path, $"SELECT last_accessed_at FROM document_reads WHERE document_id = {docs[0].Id}"), DateTimeKind.Utc);
        Assert.InRange(lastAccessed, DateTime.UtcNow.AddMinutes(-1), DateTime.UtcNow.AddSeconds(1));

        // Tracking is not a content change: no version, no audit row.
        Assert.Equal(0, Scalar(f.Path, "SELECT count(*) FROM document_versions"));
        Assert.Equal(2, Scalar(f.Path, "SELECT count(*) FROM audit_log"));
        var stats = f.Store.GetFastPathStatistics();
        Assert.Equal((0, 10, 0), (stats.TrackingPending, stats.TrackingFlushed, stats.TrackingFailedFlushes));

        // A write reloads the document, so its cached copy shows the flushed count.
        await f.Store.UpdateAsync(docs[0].Id, new DocumentUpdate { Title = "a2" });
        Assert.Equal(8, (await f.Store.GetAsync(docs[0].Id))!.AccessCount);
    }

    [Fact]
    public async Task One_write_of_counts_adds_documents_read_once_and_documents_read_often_exactly()
    {
        // A write sends documents read once as bare ids and the others as (id, reads) pairs: both must land, in
        // one statement, with the read time; a document nobody read keeps its row untouched.
        await using var f = new OptimizedFixture(path => new OptimizedStorageOptions { DatabasePath = path, TrackingFlushInterval = TimeSpan.FromHours(1) });
        var docs = await f.Store.CreateManyAsync(Enumerable.Range(0, 6).Select(i => Docs.New(title: $"d{i}")));
        f.Store.ClearCache();
        var reads = new[] { 1, 3, 1, 0, 12, 1 };
        for (var round = 1; round <= 2; round++)
        {
            for (var d = 0; d < docs.Count; d++)
            {
                for (var r = 0; r < reads[d]; r++)
                {
                    await f.Store.GetAsync(docs[d].Id);
                }
            }

            var started = DateTime.UtcNow.AddSeconds(-1);
            Assert.Equal(reads.Sum(), await f.Store.FlushAccessTrackingAsync());
            for (var d = 0; d < docs.Count; d++)
            {
                Assert.Equal(round * reads[d], Scalar(f.Path, $"SELECT access_count FROM document_reads WHERE document_id = {docs[d].Id}"));
                var at = Scalar(f.Path, $"SELECT ifnull(last_accessed_at, 0) FROM document_reads WHERE document_id = {docs[d].Id}");
                if (reads[d] == 0)
                {
                    Assert.Equal(0, at);
                }
                else
                {
                    Assert.InRange(new DateTime(at, DateTimeKind.Utc), started, DateTime.UtcNow.AddSeconds(1));
                }
            }
        }
    }

    [Fact]
    public async Task Reads_are_counted_exactly_with_l1_off_and_through_the_fallback_path()
    {
        await using var f = new OptimizedFixture(path => new OptimizedStorageOptions { DatabasePath = path, CacheCapacity = 0, TrackingFlushInterval = TimeSpan.FromHours(1) });
        var doc = await f.Store.CreateAsync(Docs.New());
        for (var i = 0; i < 500; i++)
        {
            Assert.NotNull(await f.Store.GetAsync(doc.Id));
        }

        f.Store.FastPathEnabled = false;
        for (var i = 0; i < 30; i++)
        {
            Assert.NotNull(await f.Store.GetAsync(doc.Id));
        }

        await f.Store.GetManyAsync([doc.Id]);
        await f.Store.GetByUuidAsync(doc.Uuid);
        Assert.Equal(532, await f.Store.FlushAccessTrackingAsync());
        Assert.Equal(532, Scalar(f.Path, $"SELECT access_count FROM document_reads WHERE document_id = {doc.Id}"));
    }

    [Fact]
    public async Task Dispose_flushes_pending_reads_and_closes_every_connection()
    {
        using var temp = new TempDirectory();
        var path = temp.File("d.db");
        var store = new OptimizedStorageSystem(new OptimizedStorageOptions { DatabasePath = path, PoolSize = 3, TrackingFlushInterval = TimeSpan.FromHours(1) });
        var doc = await store.CreateAsync(Docs.New());
        store.ClearCache();
        await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(async () =>
        {
            for (var i = 0; i < 50; i++)
            {
                await store.GetAsync(doc.Id);
                await store.SearchAsync(new SearchQuery { Text = "content" });
            }
        })));
        Assert.InRange(store.GetFastPathStatistics().PoolConnections, 1, 3);
        await store.DisposeAsync();

        Assert.Equal(300, Scalar(path, $"SELECT access_count FROM document_reads WHERE document_id = {doc.Id}"));

        // SQLite deletes the WAL when the last connection to the file closes: none was left open.
        Assert.False(File.Exists(path + "-wal"));
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await store.GetAsync(doc.Id));
    }

    [Fact]
    public async Task More_concurrent_readers_than_connections_all_get_answers()
    {
        await using var f = new OptimizedFixture(path => new OptimizedStorageOptions { DatabasePath = path, PoolSize = 2, CacheCapacity = 0, ResultCacheEntries = 0, EnableAccessTracking = false });
        var docs = await f.Store.CreateManyAsync(Enumerable.Range(0, 50).Select(i => Docs.New(title: "p" + i)));
        using var gate = new ManualResetEventSlim();
        var wrong = 0;
        var readers = Enumerable.Range(0, 8).Select(r => Task.Run(async () =>
        {
            gate.Wait();
            for (var i = 0; i < 300; i++)
            {
                var doc = docs[(i + r) % docs.Count];
                if (!Equals(doc, await f.Store.GetAsync(doc.Id)))
                {
                    Interlocked.Increment(ref wrong);
                }
            }
        })).ToArray();
        gate.Set();
        await Task.WhenAll(readers);

        Assert.Equal(0, wrong);
        var stats = f.Store.GetFastPathStatistics();
        Assert.InRange(stats.PoolConnections, 1, 2);
        Assert.Equal(2400, stats.FastReads);
        Assert.Equal(0, stats.CacheHits);
    }

    [Fact]
    public async Task Pooled_connections_are_query_only()
    {
        await using var f = new OptimizedFixture();
        await f.Store.CreateAsync(Docs.New());
        var reader = f.Store.FastLayer.Pool.TryRent()!;
        try
        {
            var e = Assert.Throws<SqliteException>(() => reader.Count("DELETE FROM documents RETURNING 1", []));
            Assert.Contains("readonly", e.Message, StringComparison.OrdinalIgnoreCase);
        }
        finally
        {
            f.Store.FastLayer.Pool.Return(reader);
        }

        Assert.Equal(1, Scalar(f.Path, "SELECT count(*) FROM documents"));
    }

    [Fact]
    public async Task A_full_cache_takes_each_document_read_from_the_file_evicts_to_make_room_and_counts_every_read()
    {
        await using var f = new OptimizedFixture(path => new OptimizedStorageOptions { DatabasePath = path, CacheCapacity = 3, TrackingFlushInterval = TimeSpan.FromHours(1) });
        var docs = await f.Store.CreateManyAsync(Enumerable.Range(0, 5).Select(i => Docs.New(title: "a" + i)));
        f.Store.ClearCache();
        for (var i = 0; i < 3; i++)
        {
            await f.Store.GetAsync(docs[i].Id);
        }

        Assert.Equal((3, 0L), (f.Store.GetFastPathStatistics().CacheCount, f.Store.GetFastPathStatistics().CacheEvictions));

        // The full cache takes the next document read from the file at once (a cache of 3 takes documents one by one)
        // and lets one go; the read after that is a hit.
        var late = docs[3].Id;
        Assert.Equal("a3", (await f.Store.GetAsync(late))!.Title);
        Assert.True(f.Store.FastLayer.Cache!.TryPeek(late, out _));
        await f.Store.GetAsync(late);
        var stats = f.Store.GetFastPathStatistics();
        Assert.Equal((3, 1L, 1L), (stats.CacheCount, stats.CacheEvictions, stats.CacheHits));

        using var listener = Listen(f.Store, out var seen);
        listener.RecordObservableInstruments();
        Assert.Equal(1, seen["docstore.cache.evictions"]);

        // Warm-up fills a full cache too, and is not counted as a read.
        Assert.Equal(1, await f.Store.WarmCacheAsync([docs[4].Id]));
        Assert.True(f.Store.FastLayer.Cache!.TryPeek(docs[4].Id, out _));

        // Cached or not, every read was counted once.
        Assert.Equal(3 + 2, await f.Store.FlushAccessTrackingAsync());
        Assert.Equal(2, Scalar(f.Path, $"SELECT access_count FROM document_reads WHERE document_id = {late}"));
    }

    [Fact]
    public async Task Warm_cache_loads_given_ids_and_the_most_read_documents()
    {
        await using var f = new OptimizedFixture(path => new OptimizedStorageOptions { DatabasePath = path, TrackingFlushInterval = TimeSpan.FromHours(1) });
        var docs = await f.Store.CreateManyAsync(Enumerable.Range(0, 10).Select(i => Docs.New(title: "w" + i)));
        for (var i = 0; i < 5; i++)
        {
            await f.Store.GetAsync(docs[9].Id);
        }

        await f.Store.FlushAccessTrackingAsync();
        f.Store.ClearCache();
        Assert.Equal(0, f.Store.GetFastPathStatistics().CacheCount);
        Assert.Equal(2, await f.Store.WarmCacheAsync([docs[1].Id, docs[2].Id, 999_999]));
        Assert.Equal(2, f.Store.GetFastPathStatistics().CacheCount);
        Assert.Equal(1, await f.Store.WarmMostReadAsync(1));
        Assert.True(f.Store.FastLayer.Cache!.TryPeek(docs[9].Id, out _));

        // Loading is not reading: warm-up counted nothing.
        Assert.Equal(0, await f.Store.FlushAccessTrackingAsync());
        Assert.Equal(5, Scalar(f.Path, $"SELECT access_count FROM document_reads WHERE document_id = {docs[9].Id}"));

        var hitsBefore = f.Store.GetFastPathStatistics().CacheHits;
        await f.Store.GetAsync(docs[9].Id);
        Assert.Equal(hitsBefore + 1, f.Store.GetFastPathStatistics().CacheHits);
    }

    [Fact]
    public async Task Change_notifications_reach_subscribers_after_the_cache_is_invalidated()
    {
        await using var f = new OptimizedFixture();
        var doc = await f.Store.CreateAsync(Docs.New(content: "old"));
        await f.Store.GetAsync(doc.Id);
        Document? seenInHandler = null;
        f.Store.DocumentChanged += (_, e) => seenInHandler = f.Store.GetAsync(e.Changes[0].Id).AsTask().GetAwaiter().GetResult();
        await f.Store.UpdateAsync(doc.Id, new DocumentUpdate { Content = "new" });
        Assert.Equal("new", seenInHandler!.Content);
    }

    [Fact]
    public async Task Metrics_are_published_on_the_stores_own_DocStore_meter()
    {
        await using var f = new OptimizedFixture();

        using var listener = Listen(f.Store, out var seen);

        var doc = await f.Store.CreateAsync(Docs.New(content: "metered"));
        await f.Store.GetAsync(doc.Id);
        await f.Store.GetAsync(doc.Id);
        await f.Store.ListAsync(new ListQuery());
        await f.Store.SearchAsync(new SearchQuery { Text = "metered" });
        await f.Store.FlushAccessTrackingAsync();
        listener.RecordObservableInstruments();

        Assert.Equal(1, seen["docstore.cache.hits"]);
        Assert.Equal(1, seen["docstore.cache.misses"]);
        Assert.Equal(4, seen["docstore.reads.fast"]);
        Assert.Equal(1, seen["docstore.pool.connections"]);
        Assert.Equal(2, seen["docstore.tracking.flushed"]);
        Assert.Equal(0, seen["docstore.tracking.failed_flushes"]);
        Assert.True(seen["docstore.get.duration"] >= 0);
        Assert.True(seen.ContainsKey("docstore.list.duration"));
        Assert.True(seen.ContainsKey("docstore.search.duration"));
    }

    [Fact]
    public async Task A_failed_write_of_access_counts_is_counted_and_its_reads_are_written_later()
    {
        await using var f = new OptimizedFixture(path => new OptimizedStorageOptions { DatabasePath = path, TrackingFlushInterval = TimeSpan.FromHours(1), BusyTimeout = TimeSpan.Zero });
        var doc = await f.Store.CreateAsync(Docs.New());
        for (var i = 0; i < 25; i++)
        {
            await f.Store.GetAsync(doc.Id);
        }

        // Another connection holds the write lock, so the counts cannot be written.
        using (var blocker = new SqliteConnection($"Data Source={f.Path};Pooling=False"))
        {
            blocker.Open();
            using var begin = blocker.CreateCommand();
            begin.CommandText = "BEGIN IMMEDIATE;";
            begin.ExecuteNonQuery();
            Assert.Equal(0, await f.Store.FlushAccessTrackingAsync());
            var stats = f.Store.GetFastPathStatistics();
            Assert.Equal(1, stats.TrackingFailedFlushes);
            Assert.Equal(25, stats.TrackingPending);
        }

        Assert.Equal(25, await f.Store.FlushAccessTrackingAsync());
        Assert.Equal(25, Scalar(f.Path, $"SELECT access_count FROM document_reads WHERE document_id = {doc.Id}"));
    }

    [Fact]
    public async Task Read_connections_map_256_MiB_and_keep_sqlites_default_page_cache_unless_asked()
    {
        await using (var f = new OptimizedFixture())
        {
            await f.Store.CreateAsync(Docs.New());
            Assert.Equal(256L * 1024 * 1024, await f.Store.FastLayer.ScalarForTestsAsync("PRAGMA mmap_size", CancellationToken.None));
            Assert.Equal(-2000, await f.Store.FastLayer.ScalarForTestsAsync("PRAGMA cache_size", CancellationToken.None));
        }

        await using var sized = new OptimizedFixture(path => new OptimizedStorageOptions { DatabasePath = path, Sqlite = new SqliteOptions { PageCacheKiB = 8192, MmapSizeBytes = 0 } });
        Assert.Equal(-8192, await sized.Store.FastLayer.ScalarForTestsAsync("PRAGMA cache_size", CancellationToken.None));
        Assert.Equal(0, await sized.Store.FastLayer.ScalarForTestsAsync("PRAGMA mmap_size", CancellationToken.None));
    }

    [Fact]
    public async Task With_mmap_on_every_read_sees_commits_of_this_and_of_another_instance()
    {
        const long mmap = 64L * 1024 * 1024;
        await using var f = new OptimizedFixture(path => new OptimizedStorageOptions { DatabasePath = path, CacheCapacity = 0, Sqlite = new SqliteOptions { MmapSizeBytes = mmap } });
        Assert.Equal(mmap, await f.Store.FastLayer.ScalarForTestsAsync("PRAGMA mmap_size", CancellationToken.None));
        await using var other = new OptimizedStorageSystem(new OptimizedStorageOptions { DatabasePath = f.Path, CacheCapacity = 0, Sqlite = new SqliteOptions { MmapSizeBytes = mmap } });
        var doc = await f.Store.CreateAsync(Docs.New(title: "v1"));
        for (var version = 2; version <= 20; version++)
        {
            // Alternate writers: the reading connections' mappings must follow each commit, whoever made it.
            var writer = version % 2 == 0 ? other : f.Store;
            await writer.UpdateAsync(doc.Id, new DocumentUpdate { Title = $"v{version}" });
            foreach (var reader in new IDocumentStore[] { f.Store, other })
            {
                var read = await reader.GetAsync(doc.Id);
                Assert.Equal((version, $"v{version}"), (read!.Version, read.Title));
            }
        }
    }
}
