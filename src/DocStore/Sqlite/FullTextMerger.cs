using System.Data.Common;
using DocStore.Engine;
using DocStore.Writes;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace DocStore.Sqlite;

/// <summary>
/// Merges the full-text index in the background. Write transactions do no merging (the index's
/// <c>automerge</c> is 0), because FTS5's merges dominated small transactions: each group of writes only adds
/// one small segment. Once per interval after writes, this runs FTS5's incremental <c>'merge'</c> in small
/// steps, each a job of its own on the writer (writes interleave with them, and readers, on WAL snapshots,
/// never wait), until a step finds nothing to merge. FTS5's <c>crisismerge</c> still bounds the segments
/// per level if writes outrun the merger, so searches never slow down without bound.
/// </summary>
internal sealed class FullTextMerger : IIndexMaintenance
{
    /// <summary>Pages one step may write.</summary>
    private const int StepPages = 256;

    private readonly WritePipeline _pipeline;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private int _dirty;
    private long _steps;

    public FullTextMerger(WritePipeline pipeline, TimeSpan interval, ILogger logger)
    {
        _pipeline = pipeline;
        _logger = logger;
        // Called, not Task.Run: it returns at its first await, and opening a store does not start the thread pool.
        _loop = interval > TimeSpan.Zero ? LoopAsync(interval) : Task.CompletedTask;
    }

    /// <summary>Merge steps that did work so far.</summary>
    public long Steps => Interlocked.Read(ref _steps);

    /// <summary>Called after a group of writes changed the index.</summary>
    public void IndexChanged() => Volatile.Write(ref _dirty, 1);

    /// <summary>Merges until a step finds nothing to do; returns the steps that did work.</summary>
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var steps = 0;
        while (await _pipeline.ExclusiveAsync("Merging the full-text index", Step, cancellationToken).ConfigureAwait(false))
        {
            steps++;
            Interlocked.Increment(ref _steps);
        }

        return steps;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        _stop.Dispose();
    }

    /// <summary>One merge step on each index; FTS5 says a step did work when total_changes() moved by 2 or more.</summary>
    private static bool Step(DbConnection connection)
    {
        var writer = (SqliteConnection)connection;
        var worked = false;
        foreach (var index in new[] { "documents_fts", "documents_trash_fts" })
        {
            var before = Db.Scalar<long>(writer, "SELECT total_changes()");
            Db.Execute(writer, $"INSERT INTO {index}({index}, rank) VALUES ('merge', {StepPages})");
            worked |= Db.Scalar<long>(writer, "SELECT total_changes()") - before >= 2;
        }

        return worked;
    }

    private async Task LoopAsync(TimeSpan interval)
    {
        using var timer = new PeriodicTimer(interval);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false))
            {
                if (Interlocked.Exchange(ref _dirty, 0) == 0)
                {
                    continue;
                }

                try
                {
                    await RunAsync(_stop.Token).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException || !_stop.IsCancellationRequested)
                {
                    // Whatever failed, merging goes on after the next writes; an exception left in the loop would end
                    // merging for good and be thrown again by DisposeAsync.
                    _logger.LogWarning(e, "Background merging of the full-text index failed; it is tried again after the next writes.");
                    Volatile.Write(ref _dirty, 1);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
