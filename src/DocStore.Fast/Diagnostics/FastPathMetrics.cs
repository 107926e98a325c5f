using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;

namespace DocStore.Fast.Diagnostics;

/// <summary>
/// The fast path's <see cref="System.Diagnostics.Metrics"/> instruments on a <c>DocStore</c> meter of its
/// own, tagged with the database path (so a listener can tell stores apart). Counters are observable and
/// read the fast path's own totals on collection, so the hot path pays nothing for them; latency
/// histograms are recorded only while a listener is enabled.
/// </summary>
internal sealed class FastPathMetrics : IDisposable
{
    public const string MeterName = "DocStore";

    private readonly Meter _meter;

    public FastPathMetrics(FastStorageLayer layer, string databasePath)
    {
        var tags = new KeyValuePair<string, object?>[] { new("db.path", databasePath) };
        _meter = new Meter(MeterName, typeof(FastPathMetrics).Assembly.GetName().Version?.ToString(), tags);
        var cache = layer.Cache;
        _meter.CreateObservableCounter("docstore.cache.hits", () => cache?.Hits ?? 0, "{hit}", "L1 cache hits");
        _meter.CreateObservableCounter("docstore.cache.misses", () => cache?.Misses ?? 0, "{miss}", "L1 cache misses");
        _meter.CreateObservableCounter("docstore.cache.evictions", () => cache?.Evictions ?? 0, "{document}", "L1 evictions");
        _meter.CreateObservableUpDownCounter("docstore.cache.count", () => cache?.Count ?? 0, "{document}", "Documents in L1");
        _meter.CreateObservableCounter("docstore.reads.fast", () => FastReads(layer), "{read}", "Reads served by the fast path");
        _meter.CreateObservableCounter("docstore.reads.fallback", () => layer.FallbackReads.Count(), "{read}", "Reads served by EF Core with the fast path off");
        _meter.CreateObservableCounter("docstore.results.hits", () => layer.Results.Hits, "{hit}", "List and search results answered from the result cache");
        _meter.CreateObservableUpDownCounter("docstore.pool.connections", () => layer.Pool.Open, "{connection}", "Open pooled read connections");
        _meter.CreateObservableCounter("docstore.pool.waits", () => layer.Pool.Waits, "{wait}", "Rents that waited for a connection");
        _meter.CreateObservableCounter("docstore.coherence.refreshes", () => layer.Coherence.Refreshes, "{refresh}", "Times the caches caught up with commits they had not seen (found through the WAL index)");
        _meter.CreateObservableCounter("docstore.tracking.flushed", () => layer.Counter.Flushed, "{read}", "Counted reads written to the file");
        _meter.CreateObservableCounter("docstore.tracking.failed_flushes", () => layer.Counter.FailedFlushes, "{write}", "Writes of counted reads that failed (counts kept for the next write)");
        GetDuration = _meter.CreateHistogram<double>("docstore.get.duration", "us", "Get latency");
        ListDuration = _meter.CreateHistogram<double>("docstore.list.duration", "us", "List latency");
        SearchDuration = _meter.CreateHistogram<double>("docstore.search.duration", "us", "Search latency");
    }

    public Histogram<double> GetDuration { get; }

    public Histogram<double> ListDuration { get; }

    public Histogram<double> SearchDuration { get; }

    /// <summary>Reads the fast path served: cache hits, gets from SQLite, lists and searches.</summary>
    public static long FastReads(FastStorageLayer layer) => (layer.Cache?.Hits ?? 0) + layer.UncachedGets + layer.QueryReads;

    /// <summary>Records the time since <paramref name="started"/> (0 when no listener was enabled at the start).</summary>
    /// <remarks>Inlined, so that a hit with no listener pays a compare, not a call (the call showed in a cached-get profile).</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void RecordLatency(Histogram<double> histogram, long started)
    {
        if (started != 0)
        {
            Record(histogram, started);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Record(Histogram<double> histogram, long started) => histogram.Record(Stopwatch.GetElapsedTime(started).TotalMicroseconds);

    public void Dispose() => _meter.Dispose();
}
