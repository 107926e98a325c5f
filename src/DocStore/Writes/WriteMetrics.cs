using System.Diagnostics.Metrics;

namespace DocStore.Writes;

/// <summary>
/// The write path's instruments on the <c>DocStore</c> meter (the name the fast path and the hosting layer
/// use too). Static, as one writer's group sizes mean the same in every store of the process; recorded
/// only while a listener is enabled.
/// </summary>
internal static class WriteMetrics
{
    private static readonly Meter Meter = new("DocStore");

    /// <summary>Writes that committed together in one transaction (group commit): 1 for a lone writer.</summary>
    public static readonly Histogram<int> GroupSize = Meter.CreateHistogram<int>("docstore.write.group_size", "{write}", "Writes committed together in one transaction (group commit)");
}
