using DocStore.Fast;
using DocStore.Tests.Infrastructure;

namespace DocStore.Tests.Fast;

/// <summary>A cache hit allocates nothing on the reading thread (tracking on). Counted with the runtime's per-thread allocation counter, not timed.</summary>
public sealed class AllocationTest
{
    [Fact]
    public async Task A_cache_hit_allocates_nothing_on_the_calling_thread()
    {
        // No background commit may fall inside the measured loops: a commit the fast path did not make through its own
        // writes (the read counts' flush, the full-text merge a second after the create) moves the change counter, and
        // whichever thread reads first catches up, allocating; on busy cores that is often the test's thread. Both are
        // off here: what is measured is the hit alone.
        await using var f = new OptimizedFixture(path => new OptimizedStorageOptions
        {
            DatabasePath = path,
            TrackingFlushInterval = TimeSpan.FromHours(1),
            Sqlite = new SqliteOptions { FullTextMergeInterval = TimeSpan.Zero },
        });
        var doc = await f.Store.CreateAsync(Docs.New());
        var store = f.Store;
        Document? Hit() => store.GetAsync(doc.Id).Result;

        for (var i = 0; i < 1000; i++)
        {
            Hit();
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 10_000; i++)
        {
            Hit();
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);

        Document? HitByUuid() => store.GetByUuidAsync(doc.Uuid).Result;
        for (var i = 0; i < 1000; i++)
        {
            HitByUuid();
        }

        before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 10_000; i++)
        {
            HitByUuid();
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
