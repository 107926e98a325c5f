using DocStore.Fast.Caching;

namespace DocStore.Tests.Fast;

public sealed class ConcurrentLruTest
{
    [Fact]
    public void WhenItemsAreAddedBeyondCapacityThenCountStaysAtCapacity()
    {
        var lru = new ConcurrentLru<int, string>(100);
        for (var i = 0; i < 1000; i++)
        {
            lru.AddOrUpdate(i, i.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Assert.True(lru.Count <= 100, $"count {lru.Count} after {i}");
        }

        Assert.Equal(100, lru.Count);
        Assert.Equal(900, lru.Evictions);
        lru.Validate();
    }

    [Fact]
    public void WhenKeyIsCachedThenTryGetHitsAndCountsIt()
    {
        var lru = new ConcurrentLru<int, string>(10);
        lru.AddOrUpdate(1, "one");
        Assert.True(lru.TryGet(1, out var value));
        Assert.Equal("one", value);
        Assert.False(lru.TryGet(2, out _));
        Assert.Equal((1, 1), (lru.Hits, lru.Misses));
        Assert.Equal(0.5, lru.HitRatio);
    }

    [Fact]
    public void WhenKeyIsUpdatedThenNewValueIsReturnedAndOldQueueEntryIsDropped()
    {
        var lru = new ConcurrentLru<int, string>(10);
        lru.AddOrUpdate(1, "a");
        lru.AddOrUpdate(1, "b");
        Assert.True(lru.TryGet(1, out var value));
        Assert.Equal("b", value);
        Assert.Equal(1, lru.Count);
        lru.Validate();
    }

    [Fact]
    public void WhenRemovingByValueThenOnlyTheSameInstanceIsRemoved()
    {
        var lru = new ConcurrentLru<int, string>(10);
        var first = new string('x', 3);
        var second = new string('y', 3);
        lru.AddOrUpdate(1, first);
        lru.AddOrUpdate(1, second);
        Assert.False(lru.TryRemove(1, first));
        Assert.True(lru.TryGet(1, out _));
        Assert.True(lru.TryRemove(1, second));
        Assert.False(lru.TryGet(1, out _));
        Assert.False(lru.TryRemove(1));
    }

    [Fact]
    public void WhenAScanPassesThroughThenTheWarmWorkingSetSurvives()
    {
        var lru = new ConcurrentLru<int, int>(100);
        var hotSet = Enumerable.Range(0, 50).ToArray();
        foreach (var key in hotSet)
        {
            lru.AddOrUpdate(key, key);
        }

        // Read the working set so it is promoted to warm as it leaves hot.
        for (var round = 0; round < 3; round++)
        {
            foreach (var key in hotSet)
            {
                lru.TryGet(key, out _);
            }

            for (var i = 0; i < 20; i++)
            {
                lru.AddOrUpdate(10_000 + (round * 20) + i, 0);
            }
        }

        // A scan of 10x the capacity of one-off keys, each read never.
        for (var key = 1000; key < 2000; key++)
        {
            lru.AddOrUpdate(key, key);
        }

        var survivors = hotSet.Count(k => lru.TryGet(k, out _));
        Assert.True(survivors >= 45, $"only {survivors} of 50 warm keys survived a scan");
        lru.Validate();
    }

    [Fact]
    public void WhenClearedThenTheCacheRefillsIncludingWarm()
    {
        var lru = new ConcurrentLru<int, int>(30);
        for (var i = 0; i < 100; i++)
        {
            lru.AddOrUpdate(i, i);
            lru.TryGet(i, out _);
        }

        lru.Clear();
        Assert.Equal(0, lru.Count);
        Assert.Equal((0, 0, 0), lru.QueueCounts);

        for (var i = 0; i < 100; i++)
        {
            lru.AddOrUpdate(i, i);
            lru.TryGet(i, out _);
        }

        Assert.Equal(30, lru.Count);
        Assert.Equal(lru.QueueCapacities.Warm, lru.QueueCounts.Warm);
        lru.Validate();
    }

    [Fact]
    public void WhenCapacityIsTooSmallThenTheConstructorThrows() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new ConcurrentLru<int, int>(2));

    [Fact]
    public async Task WhenManyThreadsHammerTheCacheThenItsInvariantsHold()
    {
        var lru = new ConcurrentLru<int, int[]>(500);
        using var gate = new ManualResetEventSlim();
        var wrongValues = 0;
        var threads = Enumerable.Range(0, 4).Select(t => Task.Run(() =>
        {
            var random = new Random(t);
            gate.Wait();
            for (var i = 0; i < 200_000; i++)
            {
                var key = random.Next(2000);
                switch (random.Next(10))
                {
                    case 0:
                        lru.TryRemove(key);
                        break;
                    case < 4:
                        lru.AddOrUpdate(key, [key]);
                        break;
                    default:
                        if (lru.TryGet(key, out var value) && value[0] != key)
                        {
                            Interlocked.Increment(ref wrongValues);
                        }

                        break;
                }
            }
        })).ToArray();
        gate.Set();
        await Task.WhenAll(threads);

        Assert.Equal(0, wrongValues);

        // Let one quiet insert finish any cycling the concurrent writers left over, then check.
        lru.AddOrUpdate(-1, [-1]);
        lru.Validate();
        Assert.True(lru.Count <= 500);
        Assert.True(lru.Hits + lru.Misses > 0);
    }
}
