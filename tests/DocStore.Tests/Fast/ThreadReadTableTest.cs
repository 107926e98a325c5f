using System.Runtime.Intrinsics;
using DocStore.Fast.Tracking;
using DocStore.Tests.Infrastructure;

namespace DocStore.Tests.Fast;

/// <summary>One thread's read counts: every read taken exactly once, whether its slot stayed, changed hands or was full.</summary>
public class ThreadReadTableTest
{
    [Fact]
    public void WhenMoreDocumentsAreReadThanTheTableHoldsThenTheRestAreRefusedAndNothingIsLost()
    {
        var table = new ThreadReadTable();
        var recorded = new Dictionary<long, long>();
        var refused = new Dictionary<long, long>();

        // 20,000 documents, twice each, against 8,192 slots: most of the second half finds both its buckets full.
        for (var pass = 0; pass < 2; pass++)
        {
            for (long id = 1; id <= 20_000; id++)
            {
                Add(table.TryRecord(id) ? recorded : refused, id, 1);
            }
        }

        Assert.NotEmpty(refused);
        Assert.InRange(recorded.Count, 4_096, 8_192);
        var taken = new Dictionary<long, long>();
        table.Harvest((id, reads) => Add(taken, id, reads));
        Assert.Equal(recorded, taken);

        // Every slot's count was taken, so each slot may change hands now: the documents refused before fit.
        foreach (var id in refused.Keys.Take(1_000))
        {
            Assert.True(table.TryRecord(id));
        }

        taken.Clear();
        table.Harvest((id, reads) => Add(taken, id, reads));
        Assert.Equal(1_000, taken.Count);
        Assert.All(taken.Values, reads => Assert.Equal(1, reads));
        Assert.Equal(0, table.Pending());
    }

    [Fact]
    public void ADocumentIsCountedThroughTheMatchOfItsBucketTakenBeforeTheLookup()
    {
        // Without 256-bit vectors Match is always 0 and every read takes the slow path: the counts must come out the same.
        var slots = Vector256.IsHardwareAccelerated ? new[] { 1u, 2u, 4u, 8u } : [0u, 0u, 0u, 0u];
        var table = new ThreadReadTable();
        const long id = 42;
        var bucket = ThreadReadTable.BucketOf(id);
        Assert.Equal(0u, table.Match(id, bucket));
        Assert.True(table.TryRecord(id, bucket, table.Match(id, bucket)));
        Assert.Equal(slots[0], table.Match(id, bucket));

        // Four more documents of the same bucket: three fill it, the fourth takes the next bucket's first slot.
        var neighbours = Enumerable.Range(43, 1_000_000).Where(n => ThreadReadTable.BucketOf(n) == bucket).Take(4).Select(n => (long)n).ToArray();
        foreach (var neighbour in neighbours)
        {
            Assert.True(table.TryRecord(neighbour, bucket, table.Match(neighbour, bucket)));
        }

        Assert.Equal(new[] { slots[1], slots[2], slots[3], 0u }, neighbours.Select(n => table.Match(n, bucket)));
        Assert.Equal(slots[0], table.Match(neighbours[3], (bucket + 1) % 2048));
        for (var i = 0; i < 9; i++)
        {
            Assert.True(table.TryRecord(id, bucket, table.Match(id, bucket)));
            Assert.True(table.TryRecord(neighbours[2], bucket, table.Match(neighbours[2], bucket)));
            Assert.True(table.TryRecord(neighbours[3], bucket, table.Match(neighbours[3], bucket)));
        }

        var taken = new Dictionary<long, long>();
        table.Harvest((doc, reads) => Add(taken, doc, reads));
        Assert.Equal(new Dictionary<long, long> { [id] = 10, [neighbours[0]] = 1, [neighbours[1]] = 1, [neighbours[2]] = 10, [neighbours[3]] = 10 }, taken);
    }

    [Fact]
    public async Task WhenTheOwnerRecordsWhileAnotherThreadHarvestsThenEveryReadIsTakenOnceByTheRightDocument()
    {
        var table = new ThreadReadTable();
        var taken = new Dictionary<long, long>();
        var refused = new Dictionary<long, long>();
        var made = new Dictionary<long, long>();
        using var window = new StressWindow(TimeSpan.FromSeconds(1));

        // The owner reads 30,000 documents at random, so slots fill, are taken and change hands while the harvester runs.
        var owner = Task.Factory.StartNew(
            () =>
            {
                var random = new Random(7);
                window.WaitForStart();
                for (var n = 0L; window.Running(n, minimum: 200_000); n++)
                {
                    var id = 1 + random.Next(30_000);
                    Add(made, id, 1);
                    if (!table.TryRecord(id))
                    {
                        Add(refused, id, 1);
                    }
                }
            },
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);
        var harvester = Task.Run(() =>
        {
            window.WaitForStart();
            for (var n = 0L; window.Running(n, minimum: 20); n++)
            {
                table.Harvest((id, reads) => Add(taken, id, reads));
            }
        });
        window.Start();
        await Task.WhenAll(owner, harvester);
        table.Harvest((id, reads) => Add(taken, id, reads));

        foreach (var (id, reads) in refused)
        {
            Add(taken, id, reads);
        }

        Assert.Equal(made.Count, taken.Count);
        Assert.All(made, pair => Assert.Equal(pair.Value, taken.GetValueOrDefault(pair.Key)));
    }

    private static void Add(Dictionary<long, long> counts, long id, long reads) => counts[id] = counts.GetValueOrDefault(id) + reads;
}
