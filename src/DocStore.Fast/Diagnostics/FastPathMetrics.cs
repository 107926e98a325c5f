using System.Diagnostics.Metrics;

namespace DocStore.Fast.Diagnostics;

/// <summary>
/// The fast path's <see cref="System.Diagnostics.Metrics"/> instruments on the <c>DocStore</c> meter.
/// Counters are observable (read from the cheap totals on collection), so the hot path pays
/// nothing for them; latency histograms are recorded only while a listener is enabled.
/// </summary>
internal sealed class FastPathMetrics : IDisposable
{
    public const string MeterName = "DocStore";

    private readonly Meter _meter;

    public FastPathMetrics(Func<FastPathStatistics> statistics, string databasePath)
    {
        _meter = new Meter(MeterName, typeof(FastPathMetrics).Assembly.GetName().Version?.ToString());
        var tags = new KeyValuePair<string, object?>[] { new("db.path", databasePath) };
        _meter.CreateObservableCounter("docstore.cache.hits", () => new Measurement<long>(statistics().CacheHits, tags), "{hit}", "L1 cache hits");
        _meter.CreateObservableCounter("docstore.cache.misses", () => new Measurement<long>(statistics().CacheMisses, tags), "{miss}", "L1 cache misses");
        _meter.CreateObservableCounter("docstore.cache.evictions", () => new Measurement<long>(statistics().CacheEvictions, tags), "{document}", "L1 evictions");
        _meter.CreateObservableUpDownCounter("docstore.cache.count", () => new Measurement<int>(statistics().CacheCount, tags), "{document}", "Documents in L1");
        _meter.CreateObservableCounter("docstore.reads.fast", () => new Measurement<long>(statistics().FastReads, tags), "{read}", "Reads served by the fast path");
        _meter.CreateObservableCounter("docstore.reads.fallback", () => new Measurement<long>(statistics().FallbackReads, tags), "{read}", "Reads served by EF Core with the fast path off");
        _meter.CreateObservableUpDownCounter("docstore.pool.connections", () => new Measurement<int>(statistics().PoolConnections, tags), "{connection}", "Open pooled read connections");
        _meter.CreateObservableCounter("docstore.pool.waits", () => new Measurement<long>(statistics().PoolWaits, tags), "{wait}", "Rents that waited for a connection");
        _meter.CreateObservableCounter("docstore.tracking.queued", () => new Measurement<long>(statistics().TrackingQueued, tags), "{read}", "Reads recorded");
        _meter.CreateObservableCounter("docstore.tracking.flushed", () => new Measurement<long>(statistics().TrackingFlushed, tags), "{read}", "Recorded reads written");
        _meter.CreateObservableCounter("docstore.tracking.dropped", () => new Measurement<long>(statistics().TrackingDropped, tags), "{read}", "Reads dropped by a full buffer");
        GetDuration = _meter.CreateHistogram<double>("docstore.get.duration", "us", "Get latency");
        ListDuration = _meter.CreateHistogram<double>("docstore.list.duration", "us", "List latency");
        SearchDuration = _meter.CreateHistogram<double>("docstore.search.duration", "us", "Search latency");
    }

    public Histogram<double> GetDuration { get; }

    public Histogram<double> ListDuration { get; }

    public Histogram<double> SearchDuration { get; }

    public void Dispose() => _meter.Dispose();
}
