using DocStore.Fast.Tracking;
using DocStore.Internal;
using Microsoft.Extensions.Logging.Abstractions;

namespace DocStore.Tests.Fast;

public sealed class AccessTrackerTest
{
    private sealed class Sink
    {
        public List<AccessUpdate> Updates { get; } = [];

        public Task Apply(IReadOnlyList<AccessUpdate> updates)
        {
            lock (Updates)
            {
                Updates.AddRange(updates);
            }

            return Task.CompletedTask;
        }

        public long CountFor(long id)
        {
            lock (Updates)
            {
                return Updates.Where(u => u.DocumentId == id).Sum(u => u.Count);
            }
        }
    }

    [Fact]
    public async Task WhenReadsAreRecordedFromManyThreadsThenAFlushWritesExactCounts()
    {
        var sink = new Sink();
        await using var tracker = new AccessTracker(1 << 20, 1 << 30, TimeSpan.FromHours(1), sink.Apply, NullLogger.Instance);
        using var gate = new ManualResetEventSlim();
        var threads = Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
        {
            gate.Wait();
            for (var i = 0; i < 10_000; i++)
            {
                tracker.Record(i % 10);
            }
        })).ToArray();
        gate.Set();
        await Task.WhenAll(threads);

        Assert.Equal(40_000, await tracker.FlushAsync());
        Assert.Equal(0, tracker.Dropped);
        Assert.Equal(40_000, tracker.Flushed);
        Assert.Equal(10, sink.Updates.Count);
        Assert.All(Enumerable.Range(0, 10), id => Assert.Equal(4_000, sink.CountFor(id)));
        Assert.All(sink.Updates, u => Assert.InRange(new DateTime(u.LastAccessedUtcTicks, DateTimeKind.Utc), DateTime.UtcNow.AddMinutes(-1), DateTime.UtcNow.AddSeconds(1)));
    }

    [Fact]
    public async Task WhenTheBufferIsFullThenRecordsAreDroppedAndCountedWithoutBlocking()
    {
        var sink = new Sink();
        await using var tracker = new AccessTracker(16, 1 << 30, TimeSpan.FromHours(1), sink.Apply, NullLogger.Instance);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        for (var i = 0; i < 100_000; i++)
        {
            tracker.Record(1);
        }

        watch.Stop();
        Assert.Equal(100_000, tracker.Queued + tracker.Dropped);
        Assert.True(tracker.Dropped > 0, "a 16-slot buffer must drop most of 100,000 records recorded in a tight loop");
        Assert.Equal(tracker.Queued, await tracker.FlushAsync());

        // After a flush the buffer takes records again.
        tracker.Record(2);
        Assert.Equal(1, await tracker.FlushAsync());
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), "recording into a full buffer must not wait");
    }

    [Fact]
    public async Task WhenEnoughDocumentsArePendingThenTheBackgroundTaskWritesWithoutBeingAsked()
    {
        var sink = new Sink();
        await using var tracker = new AccessTracker(1 << 16, 64, TimeSpan.FromHours(1), sink.Apply, NullLogger.Instance);
        for (var i = 0; i < 5_000; i++)
        {
            tracker.Record(i % 1000);
        }

        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (tracker.Flushed == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
        }

        Assert.True(tracker.Flushed > 0);
    }

    [Fact]
    public async Task WhenTheIntervalPassesThenPendingReadsAreWrittenWithoutBeingAsked()
    {
        var sink = new Sink();
        await using var tracker = new AccessTracker(1024, 1 << 30, TimeSpan.FromMilliseconds(100), sink.Apply, NullLogger.Instance);
        tracker.Record(3);
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (sink.CountFor(3) == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
        }

        Assert.Equal(1, sink.CountFor(3));
    }

    [Fact]
    public async Task WhenReadsOutpaceWritesThenFrequentDrainsKeepTheBufferFromDropping()
    {
        // A small buffer and a slow writer: the drainer empties the buffer between writes.
        var sink = new Sink();
        await using var tracker = new AccessTracker(4096, 1 << 30, TimeSpan.FromHours(1), sink.Apply, NullLogger.Instance);
        for (var round = 0; round < 50; round++)
        {
            for (var i = 0; i < 1000; i++)
            {
                tracker.Record(i);
            }

            await Task.Delay(30);
        }

        Assert.Equal(0, tracker.Dropped);
        Assert.Equal(50_000, await tracker.FlushAsync());
    }

    [Fact]
    public async Task WhenDisposedThenPendingRecordsAreFlushed()
    {
        var sink = new Sink();
        var tracker = new AccessTracker(1024, 1 << 30, TimeSpan.FromHours(1), sink.Apply, NullLogger.Instance);
        tracker.Record(5);
        tracker.Record(5);
        await tracker.DisposeAsync();
        Assert.Equal(2, sink.CountFor(5));
    }

    [Fact]
    public async Task WhenApplyFailsThenTheFailureIsCountedAndTrackingContinues()
    {
        var calls = 0;
        await using var tracker = new AccessTracker(1024, 1 << 30, TimeSpan.FromHours(1), _ => ++calls == 1 ? throw new InvalidOperationException("disk gone") : Task.CompletedTask, NullLogger.Instance);
        tracker.Record(1);
        Assert.Equal(0, await tracker.FlushAsync());
        Assert.Equal(1, tracker.FailedFlushes);
        tracker.Record(1);
        Assert.Equal(1, await tracker.FlushAsync());
    }
}
