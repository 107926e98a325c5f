using System.Collections.Concurrent;
using DocStore.Fast;
using DocStore.Tests.Infrastructure;

namespace DocStore.Tests.Fast;

/// <summary>
/// Invariant 2 under stress: readers mixing every read API (get, get-many, get-by-uuid, list, search)
/// while writers update a hot set. Per reader, versions of a document never go backwards, and no read
/// that starts after an update returned sees an older version. The caches may never be older than
/// what the database already showed anyone.
/// </summary>
public sealed class LinearizableReadTest
{
    public static TheoryData<string, int, int, bool> Configurations => new()
    {
        { "default options", 10_000, 1000, false },
        { "3-entry cache", 3, 1000, false },
        { "no result cache", 10_000, 0, false },
        { "fast path flipping", 10_000, 1000, true },
    };

    [Theory]
    [MemberData(nameof(Configurations))]
    public async Task Reads_of_every_kind_never_go_back_in_time(string name, int cacheCapacity, int resultCache, bool flipFastPath)
    {
        Assert.NotNull(name);
        await using var f = new OptimizedFixture(path => new OptimizedStorageOptions
        {
            DatabasePath = path,
            CacheCapacity = cacheCapacity,
            ResultCacheEntries = resultCache,
            PoolSize = 8,
        });
        const int Hot = 48;
        var docs = await f.Store.CreateManyAsync(Enumerable.Range(0, Hot).Select(i => Docs.New(title: "hot " + i, content: "hotword body " + i, type: "hot")));
        var index = docs.Select((d, i) => (d.Id, i)).ToDictionary(p => p.Id, p => p.i);
        var committed = new int[Hot];
        Array.Fill(committed, 1);
        var violations = new ConcurrentQueue<string>();
        var reads = 0L;
        using var window = new StressWindow(TimeSpan.FromSeconds(2.5));

        var writers = Enumerable.Range(0, 2).Select(w => Task.Run(async () =>
        {
            var random = new Random(w);
            window.WaitForStart();
            for (var n = 0L; window.Running(n); n++)
            {
                var i = (random.Next(Hot / 2) * 2) + w;
                var updated = await f.Store.UpdateAsync(docs[i].Id, new DocumentUpdate { Content = "hotword body " + random.Next() });
                Volatile.Write(ref committed[i], updated.Version);
            }
        })).ToList();

        if (flipFastPath)
        {
            writers.Add(Task.Run(() =>
            {
                window.WaitForStart();
                for (var n = 0L; window.Running(n); n++)
                {
                    f.Store.FastPathEnabled = !f.Store.FastPathEnabled;
                    Thread.Sleep(1);
                }

                f.Store.FastPathEnabled = true;
            }));
        }

        var readers = Enumerable.Range(0, 4).Select(r => Task.Run(async () =>
        {
            var random = new Random(100 + r);
            var lastSeen = new int[Hot];
            window.WaitForStart();
            for (var n = 0L; window.Running(n); n++)
            {
                // The floor is taken before the read starts: an update that returned before that must be visible.
                var floors = new int[Hot];
                for (var i = 0; i < Hot; i++)
                {
                    floors[i] = Volatile.Read(ref committed[i]);
                }

                var pick = random.Next(Hot);
                IEnumerable<Document> seen = random.Next(5) switch
                {
                    0 => [(await f.Store.GetAsync(docs[pick].Id))!],
                    1 => [(await f.Store.GetByUuidAsync(docs[pick].Uuid))!],
                    2 => await f.Store.GetManyAsync(Enumerable.Range(0, 6).Select(_ => docs[random.Next(Hot)].Id)),
                    3 => (await f.Store.ListAsync(new ListQuery { Type = "hot", PageSize = 100 })).Items,
                    _ => (await f.Store.SearchAsync(new SearchQuery { Text = "hotword", PageSize = 100 })).Items.Select(h => h.Document),
                };
                foreach (var document in seen)
                {
                    Interlocked.Increment(ref reads);
                    var i = index[document.Id];
                    if (document.Version < floors[i])
                    {
                        violations.Enqueue($"doc {i}: read v{document.Version} after v{floors[i]} had returned");
                    }

                    if (document.Version < lastSeen[i])
                    {
                        violations.Enqueue($"doc {i}: read v{document.Version} after this reader had seen v{lastSeen[i]}");
                    }

                    lastSeen[i] = Math.Max(lastSeen[i], document.Version);
                }
            }
        })).ToArray();

        window.Start();
        await Task.WhenAll(writers.Concat(readers));
        Assert.True(violations.IsEmpty, $"{violations.Count} of {reads} reads went back in time, e.g.:\n" + string.Join("\n", violations.Take(10)));
        Assert.True(reads > 1000, $"only {reads} reads");
        Assert.Equal("ok", f.IntegrityCheck());
    }
}
