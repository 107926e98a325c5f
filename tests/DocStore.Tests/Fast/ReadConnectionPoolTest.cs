using DocStore.Fast;
using DocStore.Tests.Infrastructure;

namespace DocStore.Tests.Fast;

/// <summary>A reader that finds every pooled connection busy waits without holding its thread, and gives up after the wait timeout.</summary>
public sealed class ReadConnectionPoolTest
{
    [Fact]
    public async Task WhenEveryConnectionIsBusyThenAGetWaitsAsynchronouslyAndCompletesOnReturn()
    {
        await using var f = new OptimizedFixture(path => new OptimizedStorageOptions { DatabasePath = path, PoolSize = 1, CacheCapacity = 0, PoolWaitTimeout = TimeSpan.FromMinutes(1) });
        var doc = await f.Store.CreateAsync(Docs.New());
        var held = f.Store.FastLayer.Pool.TryRent()!;

        // The call returns at once with a pending task instead of spinning on the caller's thread.
        var pending = f.Store.GetAsync(doc.Id).AsTask();
        Assert.False(pending.IsCompleted);
        Assert.Equal(1, f.Store.GetFastPathStatistics().PoolWaits);

        f.Store.FastLayer.Pool.Return(held);
        Assert.Equal(doc, await pending.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task WhenTheWaitTimesOutThenTheReaderGetsATypedError()
    {
        await using var f = new OptimizedFixture(path => new OptimizedStorageOptions { DatabasePath = path, PoolSize = 1, CacheCapacity = 0, PoolWaitTimeout = TimeSpan.FromMilliseconds(100) });
        var doc = await f.Store.CreateAsync(Docs.New());
        var held = f.Store.FastLayer.Pool.TryRent()!;
        try
        {
            var e = await Assert.ThrowsAsync<DocStoreException>(async () => await f.Store.GetAsync(doc.Id));
            Assert.Contains("PoolSize", e.Message, StringComparison.Ordinal);
        }
        finally
        {
            f.Store.FastLayer.Pool.Return(held);
        }
    }

    [Fact]
    public async Task WhenAWaitingReaderIsCancelledThenItStopsWaiting()
    {
        await using var f = new OptimizedFixture(path => new OptimizedStorageOptions { DatabasePath = path, PoolSize = 1, CacheCapacity = 0, PoolWaitTimeout = TimeSpan.FromMinutes(1) });
        var doc = await f.Store.CreateAsync(Docs.New());
        var held = f.Store.FastLayer.Pool.TryRent()!;
        try
        {
            using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => f.Store.GetAsync(doc.Id, cancel.Token).AsTask().WaitAsync(TimeSpan.FromSeconds(30)));
        }
        finally
        {
            f.Store.FastLayer.Pool.Return(held);
        }
    }
}
