using DocStore.Tests.Infrastructure;

namespace DocStore.Tests;

/// <summary>Several threads released together write through one store; afterwards the file must be intact and no update lost.</summary>
public sealed class ConcurrentWritersTest
{
    [Fact]
    public async Task Concurrent_writers_lose_no_update_and_leave_an_intact_file()
    {
        await using var f = new StoreFixture();
        var counter = await f.Store.CreateAsync(Docs.New(title: "counter", metadata: "{\"n\":0}"));
        const int Threads = 6;
        const int IncrementsPerThread = 15;
        var created = new System.Collections.Concurrent.ConcurrentBag<long>();
        using var gate = new ManualResetEventSlim();
        var conflicts = 0;

        var workers = Enumerable.Range(0, Threads).Select(t => Task.Run(async () =>
        {
            gate.Wait();
            for (var i = 0; i < IncrementsPerThread; i++)
            {
                // Read-modify-write with optimistic concurrency: retry on conflict until it lands.
                while (true)
                {
                    var current = (await f.Store.GetAsync(counter.Id))!;
                    var n = System.Text.Json.JsonDocument.Parse(current.Metadata).RootElement.GetProperty("n").GetInt32();
                    try
                    {
                        await f.Store.UpdateAsync(counter.Id, new DocumentUpdate { Metadata = $"{{\"n\":{n + 1}}}", ExpectedVersion = current.Version });
                        break;
                    }
                    catch (VersionConflictException)
                    {
                        Interlocked.Increment(ref conflicts);
                    }
                }

                var doc = await f.Store.CreateAsync(Docs.New(title: $"t{t} i{i}", content: $"thread{t} item{i}"));
                created.Add(doc.Id);
                if (i % 3 == 0)
                {
                    await f.Store.CreateManyAsync([Docs.New(title: "batch a"), Docs.New(title: "batch b")]);
                }
            }
        })).ToArray();

        gate.Set();
        await Task.WhenAll(workers);

        var final = (await f.Store.GetAsync(counter.Id))!;
        Assert.Equal($"{{\"n\":{Threads * IncrementsPerThread}}}", final.Metadata);
        Assert.Equal(1 + Threads * IncrementsPerThread, final.Version);
        Assert.Equal(final.Version, (await f.Store.GetVersionsAsync(counter.Id)).Count);
        Assert.Equal(Threads * IncrementsPerThread, created.Distinct().Count());
        Assert.Equal(1 + Threads * IncrementsPerThread + Threads * 5 * 2, f.Count("documents"));
        Assert.Equal(f.Count("documents"), f.Count("documents_fts"));
        Assert.Equal(conflicts, f.Count("audit_log", "outcome = 'Conflict'"));
        Assert.Equal(0, f.Count("documents d", "version - 1 <> (SELECT count(*) FROM document_versions v WHERE v.document_id = d.id)"));
        Assert.Equal("ok", f.IntegrityCheck());
        f.FtsIntegrityCheck();
        Assert.Null(f.Scalar("PRAGMA foreign_key_check"));
        Assert.Equal(IncrementsPerThread, f.Count("documents_fts", "documents_fts MATCH 'thread0'"));
    }

    [Fact]
    public async Task Two_stores_on_one_file_are_kept_safe_by_the_version_check()
    {
        await using var f = new StoreFixture();
        await using var other = new LocalStorageSystem(f.Options);
        var doc = await f.Store.CreateAsync(Docs.New());
        await other.UpdateAsync(doc.Id, new DocumentUpdate { Title = "from the other store" });
        await Assert.ThrowsAsync<VersionConflictException>(() => f.Store.UpdateAsync(doc.Id, new DocumentUpdate { Title = "stale", ExpectedVersion = 1 }));
        Assert.Equal("from the other store", (await f.Store.GetAsync(doc.Id))!.Title);
        Assert.Equal("ok", f.IntegrityCheck());
    }
}
