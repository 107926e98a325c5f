using DocStore.Fast.Internal;
using DocStore.Internal;
using Microsoft.Extensions.Logging;

namespace DocStore.Fast.Tracking;

/// <summary>
/// Records reads without making them write: <see cref="Record"/> drops (id, tick) into an
/// <see cref="AccessBuffer"/>. A background task drains the buffer often (every few milliseconds,
/// or at once when a stripe is half full) into a per-document aggregate, which is cheap and keeps
/// the buffer from overflowing; the aggregate is written through the store's single writer once
/// per <c>flushInterval</c>, or sooner when <c>flushBatch</c> documents are pending. Writing rarely
/// matters: each write costs about one row update per distinct document, on the same cores as the
/// readers. A full buffer drops the record and counts the drop; the read never waits.
/// </summary>
internal sealed class AccessTracker : IAsyncDisposable
{
    private readonly AccessBuffer _buffer;
    private readonly Func<IReadOnlyList<AccessUpdate>, Task> _apply;
    private static readonly TimeSpan DrainInterval = TimeSpan.FromMilliseconds(20);
    private readonly TimeSpan _flushInterval;
    private readonly int _flushBatch;
    private readonly long _signalMask;
    private readonly ILogger _logger;
    private readonly StripedCounter _dropped = new();
    private readonly SemaphoreSlim _wake = new(0, 1);
    private readonly SemaphoreSlim _flushLock = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private readonly Dictionary<long, (long Count, long Tick)> _pending = [];
    private readonly long _baseTick;
    private readonly long _baseUtcTicks;
    private readonly Task _loop;
    private readonly Action<long, long> _aggregate;
    private long _lastApply = Environment.TickCount64;
    private long _flushed;
    private long _failedFlushes;
    private int _disposed;

    public AccessTracker(int bufferSize, int flushBatch, TimeSpan flushInterval, Func<IReadOnlyList<AccessUpdate>, Task> apply, ILogger logger)
    {
        _buffer = new AccessBuffer(bufferSize);
        _apply = apply;
        _flushInterval = flushInterval;
        _flushBatch = Math.Max(1, flushBatch);
        _logger = logger;

        // Wake the drainer when a stripe's position crosses a multiple of half its size (a mask, not a division, on the read path).
        _signalMask = Math.Max(8, _buffer.Capacity / _buffer.StripeCount / 2) - 1;

        // Reads record Environment.TickCount64 (a few ns) rather than the wall clock; flush converts.
        _baseTick = Environment.TickCount64;
        _baseUtcTicks = DateTime.UtcNow.Ticks;
        _aggregate = Aggregate;
        _loop = Task.Run(RunAsync);
    }

    /// <summary>Reads accepted into the buffer.</summary>
    public long Queued => _buffer.Accepted;

    /// <summary>Reads written to the database.</summary>
    public long Flushed => Interlocked.Read(ref _flushed);

    /// <summary>Reads dropped because the buffer was full.</summary>
    public long Dropped => _dropped.Value;

    /// <summary>Flushes that failed (their reads are lost, and logged).</summary>
    public long FailedFlushes => Interlocked.Read(ref _failedFlushes);

    /// <summary>The buffer's size in records.</summary>
    public int Capacity => _buffer.Capacity;

    /// <summary>Records one read. Never blocks: a full buffer drops the record and counts it.</summary>
    /// <param name="documentId">The document read.</param>
    public void Record(long documentId)
    {
        if (!_buffer.TryAdd(documentId, Environment.TickCount64, out var position))
        {
            _dropped.Increment();
            return;
        }

        if ((position & _signalMask) == _signalMask && _wake.CurrentCount == 0)
        {
            Wake();
        }
    }

    /// <summary>Writes everything recorded so far.</summary>
    /// <returns>How many reads were written.</returns>
    public async Task<int> FlushAsync()
    {
        await _flushLock.WaitAsync().ConfigureAwait(false);
        try
        {
            Drain();
            return await ApplyLockedAsync().ConfigureAwait(false);
        }
        finally
        {
            _flushLock.Release();
        }
    }

    /// <summary>Moves buffered records into the per-document aggregate. Caller holds the flush lock.</summary>
    private void Drain() => _buffer.Drain(_aggregate);

    private void Aggregate(long id, long tick)
    {
        ref var entry = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(_pending, id, out _);
        entry.Count++;
        entry.Tick = Math.Max(entry.Tick, tick);
    }

    /// <summary>Writes the aggregate through the store's writer. Caller holds the flush lock.</summary>
    private async Task<int> ApplyLockedAsync()
    {
        _lastApply = Environment.TickCount64;
        if (_pending.Count == 0)
        {
            return 0;
        }

        var updates = new List<AccessUpdate>(_pending.Count);
        long reads = 0;
        foreach (var (id, (count, tick)) in _pending)
        {
            updates.Add(new AccessUpdate(id, count, _baseUtcTicks + ((tick - _baseTick) * TimeSpan.TicksPerMillisecond)));
            reads += count;
        }

        _pending.Clear();
        try
        {
            await _apply(updates).ConfigureAwait(false);
            Interlocked.Add(ref _flushed, reads);
            return (int)reads;
        }
#pragma warning disable CA1031 // A background flush must survive any failure of the store; it is logged and counted.
        catch (Exception e)
#pragma warning restore CA1031
        {
            Interlocked.Increment(ref _failedFlushes);
            _logger.LogWarning(e, "Access tracking could not write {Reads} reads of {Documents} documents.", reads, updates.Count);
            return 0;
        }
    }

    /// <summary>Stops the background task and flushes what is pending.</summary>
    /// <returns>A task that completes when the last flush is done.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        await FlushAsync().ConfigureAwait(false);
        _stop.Dispose();
    }

    private void Wake()
    {
        try
        {
            _wake.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already signalled by another reader.
        }
    }

    private async Task RunAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await _wake.WaitAsync(DrainInterval, _stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            await _flushLock.WaitAsync().ConfigureAwait(false);
            try
            {
                Drain();
                if (_pending.Count >= _flushBatch || Environment.TickCount64 - _lastApply >= (long)_flushInterval.TotalMilliseconds)
                {
                    await ApplyLockedAsync().ConfigureAwait(false);
                }
            }
            finally
            {
                _flushLock.Release();
            }
        }
    }
}
