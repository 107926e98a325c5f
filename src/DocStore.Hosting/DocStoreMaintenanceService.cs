using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DocStore.Hosting;

/// <summary>
/// Scheduled maintenance: a WAL checkpoint every <see cref="DocStoreHostOptions.CheckpointInterval"/> (keeps the
/// log short so reads stay fast and the file is self-contained for copies) and a full-text index optimize every
/// <see cref="DocStoreHostOptions.OptimizeInterval"/>. A failed run is logged and counted, and the next one runs
/// on schedule; the service never stops the host.
/// </summary>
internal sealed class DocStoreMaintenanceService(IDocumentStore store, IOptions<DocStoreHostOptions> options, ILogger<DocStoreMaintenanceService> logger, DocStoreMeter meter) : BackgroundService
{
    private readonly Counter<long> _runs = meter.Meter.CreateCounter<long>(DocStoreInstrumentation.MaintenanceRuns, "{run}", "Maintenance runs by task and outcome");

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        return Task.WhenAll(
            Schedule("checkpoint", settings.CheckpointInterval, store.CheckpointAsync, stoppingToken),
            Schedule("optimize", settings.OptimizeInterval, token => store.OptimizeAsync(vacuum: false, token), stoppingToken));
    }

    private async Task Schedule(string task, TimeSpan interval, Func<CancellationToken, Task> work, CancellationToken stoppingToken)
    {
        if (interval <= TimeSpan.Zero)
        {
            return;
        }

        using var timer = new PeriodicTimer(interval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                var started = Stopwatch.GetTimestamp();
                try
                {
                    await work(stoppingToken).ConfigureAwait(false);
                    _runs.Add(1, new("docstore.task", task), new("outcome", "success"));
                    Log.MaintenanceDone(logger, task, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                }
                catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    _runs.Add(1, new("docstore.task", task), new("outcome", "failure"));
                    Log.MaintenanceFailed(logger, task, e);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutdown.
        }
    }
}
