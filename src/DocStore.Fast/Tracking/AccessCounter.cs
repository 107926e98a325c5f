using System.Runtime.InteropServices;
using DocStore.Fast.Caching;
using DocStore.Internal;
using Microsoft.Extensions.Logging;

namespace DocStore.Fast.Tracking;

/// <summary>
/// Exact access counts that never make a read write or wait. A cache hit counts on its own entry
/// (<see cref="CachedDocument"/>); every other read (a miss, a read with L1 off, a fallback read through EF
/// Core, a hit on an entry that had just left the cache) is added here, under a short lock, next to the
/// counts that entries hand over when they leave the cache. A background task writes everything through
/// the store's single writer once per interval, and on dispose; a failed write keeps its counts for the
/// next one. Nothing is dropped. <see cref="Document.LastAccessedAt"/> is the time of the write that
/// recorded the read, so it is at most one interval late.
/// </summary>
internal sealed class AccessCounter : IAsyncDisposable
{
    private readonly Lock _lock = new();
    private readonly Func<IReadOnlyList<AccessUpdate>, Task> _apply;
    private readonly TimeSpan _interval;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _flushLock = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private Dictionary<long, long> _pending = [];
    private Task? _loop;
    private long _flushed;
    private long _failedFlushes;
    private int _disposed;

    public AccessCounter(TimeSpan interval, Func<IReadOnlyList<AccessUpdate>, Task> apply, ILogger logger)
    {
        _interval = interval;
        _apply = apply;
        _logger = logger;
    }

    /// <summary>The cache whose entries hold counts of their own, harvested at each write. Set before <see cref="Start"/>.</summary>
    public DocumentCache? Cache { get; set; }

    /// <summary>Runs around each write of counts (the result cache uses it to drop results ordered by access count).</summary>
    public Action? BeforeWrite { get; set; }

    /// <summary>Runs after each write of counts, whether it succeeded or not.</summary>
    public Action? AfterWrite { get; set; }

    /// <summary>Reads written to the file so far.</summary>
    public long Flushed => Interlocked.Read(ref _flushed);

    /// <summary>Writes of counts that failed (their counts were kept for the next write, and logged).</summary>
    public long FailedFlushes => Interlocked.Read(ref _failedFlushes);

    /// <summary>Reads counted but not yet written (walks the cache: for statistics, not for hot paths).</summary>
    public long Pending
    {
        get
        {
            long pending;
            lock (_lock)
            {
                pending = _pending.Values.Sum();
            }

            return pending + (Cache?.Entries.Sum(e => e.PeekReads()) ?? 0);
        }
    }

    /// <summary>Starts the background writes.</summary>
    public void Start() => _loop = Task.Run(RunAsync);

    /// <summary>Records one read that no live cache entry counted.</summary>
    public void Record(long documentId) => Add(documentId, 1);

    /// <summary>Adds reads of a document (an entry leaving the cache hands its count over here).</summary>
    public void Add(long documentId, long reads)
    {
        if (reads <= 0)
        {
            return;
        }

        lock (_lock)
        {
            CollectionsMarshal.GetValueRefOrAddDefault(_pending, documentId, out _) += reads;
        }
    }

    /// <summary>Writes every read counted so far.</summary>
    /// <returns>How many reads were written.</returns>
    public async Task<long> FlushAsync()
    {
        await _flushLock.WaitAsync().ConfigureAwait(false);
        try
        {
            return await FlushLockedAsync().ConfigureAwait(false);
        }
        finally
        {
            _flushLock.Release();
        }
    }

    /// <summary>Stops the background task and writes what is pending.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        if (_loop is not null)
        {
            await _loop.ConfigureAwait(false);
        }

        await FlushAsync().ConfigureAwait(false);
        _stop.Dispose();
    }

    private async Task<long> FlushLockedAsync()
    {
        Dictionary<long, long> batch;
        lock (_lock)
        {
            batch = _pending;
            _pending = [];
        }

        if (Cache is { } cache)
        {
            foreach (var entry in cache.Entries)
            {
                var reads = entry.TakeReads();
                if (reads > 0)
                {
                    CollectionsMarshal.GetValueRefOrAddDefault(batch, entry.Document.Id, out _) += reads;
                }
            }
        }

        if (batch.Count == 0)
        {
            return 0;
        }

        var now = UtcTicks.Now();
        var updates = new List<AccessUpdate>(batch.Count);
        long total = 0;
        foreach (var (id, reads) in batch)
        {
            updates.Add(new AccessUpdate(id, reads, now));
            total += reads;
        }

        BeforeWrite?.Invoke();
        try
        {
            await _apply(updates).ConfigureAwait(false);
            Interlocked.Add(ref _flushed, total);
            return total;
        }
#pragma warning disable CA1031 // A background write must survive any failure of the store; its counts are kept, and it is logged and counted.
        catch (Exception e)
#pragma warning restore CA1031
        {
            Interlocked.Increment(ref _failedFlushes);
            _logger.LogWarning(e, "Access tracking could not write {Reads} reads of {Documents} documents; they are kept for the next write.", total, updates.Count);
            foreach (var (id, reads) in batch)
            {
                Add(id, reads);
            }

            return 0;
        }
        finally
        {
            AfterWrite?.Invoke();
        }
    }

    private async Task RunAsync()
    {
        using var timer = new PeriodicTimer(_interval);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false))
            {
                await FlushAsync().ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
