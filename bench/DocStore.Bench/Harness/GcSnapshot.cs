namespace DocStore.Bench.Harness;

/// <summary>
/// The process's garbage-collector counters at one moment; the difference of two brackets a measured
/// period, so a run reports what it allocated per operation and how much of its time the GC paused it.
/// </summary>
public readonly record struct GcSnapshot(long AllocatedBytes, TimeSpan Paused, int Gen0, int Gen1, int Gen2)
{
    public static GcSnapshot Now() =>
        new(GC.GetTotalAllocatedBytes(precise: false), GC.GetTotalPauseDuration(), GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));

    /// <summary>The counters' growth from <paramref name="start"/> to <paramref name="end"/>.</summary>
    public static GcSnapshot operator -(GcSnapshot end, GcSnapshot start) =>
        new(end.AllocatedBytes - start.AllocatedBytes, end.Paused - start.Paused, end.Gen0 - start.Gen0, end.Gen1 - start.Gen1, end.Gen2 - start.Gen2);

    /// <summary>Two periods' growth added up (a cell measured in slices).</summary>
    public static GcSnapshot operator +(GcSnapshot a, GcSnapshot b) =>
        new(a.AllocatedBytes + b.AllocatedBytes, a.Paused + b.Paused, a.Gen0 + b.Gen0, a.Gen1 + b.Gen1, a.Gen2 + b.Gen2);

    /// <summary>What happened between <paramref name="start"/> and this snapshot, over <paramref name="seconds"/> of wall time and <paramref name="operations"/> operations.</summary>
    public GcUsage Since(GcSnapshot start, double seconds, long operations) => new(
        operations == 0 ? 0 : (AllocatedBytes - start.AllocatedBytes) / (double)operations,
        seconds <= 0 ? 0 : (Paused - start.Paused).TotalSeconds / seconds,
        Gen0 - start.Gen0,
        Gen1 - start.Gen1,
        Gen2 - start.Gen2);
}

/// <summary>Allocation and GC work of one measured run: bytes per operation (all threads), share of wall time paused, collections by generation.</summary>
public readonly record struct GcUsage(double BytesPerOperation, double PauseShare, int Gen0, int Gen1, int Gen2);
