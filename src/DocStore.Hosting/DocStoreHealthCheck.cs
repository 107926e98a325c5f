using DocStore.Fast;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace DocStore.Hosting;

/// <summary>
/// Reports the store healthy when it answers a read (its statistics), degraded when the fast path's
/// background work falls behind (access counts that fail to flush) or readers wait for pooled connections,
/// and unhealthy when it does not answer.
/// </summary>
internal sealed class DocStoreHealthCheck(OptimizedStorageSystem store) : IHealthCheck
{
    private long _lastFailedFlushes;
    private long _lastPoolWaits;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        StoreStatistics statistics;
        try
        {
            statistics = await store.GetStatisticsAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, "The store does not answer: " + e.Message, e);
        }

        var fast = store.GetFastPathStatistics();
        var data = new Dictionary<string, object>
        {
            ["documents"] = statistics.DocumentCount,
            ["fast_path"] = store.FastPathEnabled,
            ["cache_hit_ratio"] = fast.CacheHitRatio,
            ["pool_connections"] = fast.PoolConnections,
            ["pool_size"] = fast.PoolSize,
            ["pool_waits"] = fast.PoolWaits,
            ["tracking_failed_flushes"] = fast.TrackingFailedFlushes,
        };

        // Both counters only grow; what matters is whether they grew since the last check.
        var newFailures = fast.TrackingFailedFlushes - Interlocked.Exchange(ref _lastFailedFlushes, fast.TrackingFailedFlushes);
        var newWaits = fast.PoolWaits - Interlocked.Exchange(ref _lastPoolWaits, fast.PoolWaits);
        if (newFailures > 0)
        {
            return HealthCheckResult.Degraded($"Access tracking failed to write {newFailures} time(s) since the last check.", data: data);
        }

        if (newWaits > 0 && fast.PoolConnections >= fast.PoolSize)
        {
            return HealthCheckResult.Degraded($"All {fast.PoolSize} read connections are in use; {newWaits} read(s) waited since the last check.", data: data);
        }

        return HealthCheckResult.Healthy($"{statistics.DocumentCount} documents.", data);
    }
}
