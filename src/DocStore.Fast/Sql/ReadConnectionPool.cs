using System.Runtime.InteropServices;
using BitFaster.Caching.Counters;

namespace DocStore.Fast.Sql;

/// <summary>
/// A bounded pool of <see cref="IFastReader"/>s, opened lazily. A rent takes a permit with one
/// compare-and-swap and a reader from a slot with one atomic exchange, starting at a slot picked by the
/// current processor; slots sit on cache lines of their own, so two cores renting at once do not pull a
/// line from each other. A caller that finds every reader busy waits on a semaphore, asynchronously and
/// never spinning on its thread, for at most the pool's wait timeout; that wait is counted.
/// </summary>
internal sealed class ReadConnectionPool : IDisposable
{
    private readonly Func<IFastReader> _create;
    private readonly Slot[] _slots;
    private readonly SemaphoreSlim _released = new(0);
    private readonly int _maxSize;
    private readonly TimeSpan _waitTimeout;
    private readonly Counter _waits = new();
    private int _permits;
    private int _waiters;
    private int _open;
    private int _disposed;
    private volatile bool _closing;

    public ReadConnectionPool(Func<IFastReader> open, int maxSize, TimeSpan waitTimeout)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxSize, 1);
        _create = open;
        _maxSize = maxSize;
        _permits = maxSize;
        _slots = new Slot[maxSize];
        _waitTimeout = waitTimeout;
    }

    /// <summary>The most connections the pool opens.</summary>
    public int MaxSize => _maxSize;

    /// <summary>Connections open now.</summary>
    public int Open => Volatile.Read(ref _open);

    /// <summary>Rents that found every connection busy and had to wait.</summary>
    public long Waits => _waits.Count();

    /// <summary>Rents a reader at once if one is free (or can be opened); null when all are busy.</summary>
    public IFastReader? TryRent()
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        return TryTakePermit() ? TakeOrOpen() : null;
    }

    /// <summary>Waits, without blocking the thread, until a reader is free.</summary>
    public async ValueTask<IFastReader> RentAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (!TryTakePermit())
        {
            _waits.Increment();
            if (!await WaitForPermitAsync(_waitTimeout, cancellationToken).ConfigureAwait(false))
            {
                throw new DocStoreException($"All {_maxSize} read connections stayed busy for {_waitTimeout.TotalSeconds:0.###} s. Raise PoolSize or lower the number of concurrent readers.");
            }
        }

        return TakeOrOpen();
    }

    public void Return(IFastReader reader)
    {
        // A reader whose connection broke (a server restarted: PostgreSQL), or that a read left unfit, is closed, not
        // parked: the next rent opens a new one.
        if (!_closing && Volatile.Read(ref _disposed) == 0 && reader.Connection.State == System.Data.ConnectionState.Open && reader.Reusable && TryPark(reader))
        {
            // Dispose may have swept the slots between the check and the park; then the sweep missed it.
            if (Volatile.Read(ref _disposed) != 0 && TryUnpark(reader))
            {
                Close(reader);
            }
        }
        else
        {
            Close(reader);
        }

        ReleasePermits(1);
    }

    /// <summary>Closes every connection and holds new rents until <see cref="Resume"/> (key rotation needs no other connection open).</summary>
    public async Task SuspendAsync()
    {
        _closing = true;
        for (var held = 0; held < _maxSize; held++)
        {
            // Holding every permit means no reader is rented; waiting for them does not poll.
            if (!TryTakePermit())
            {
                await WaitForPermitAsync(Timeout.InfiniteTimeSpan, CancellationToken.None).ConfigureAwait(false);
            }
        }

        CloseIdle();
    }

    /// <summary>Lets rents open connections again.</summary>
    public void Resume()
    {
        _closing = false;
        ReleasePermits(_maxSize);
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        CloseIdle();
    }

    private bool TryTakePermit()
    {
        while (true)
        {
            var permits = Volatile.Read(ref _permits);
            if (permits <= 0)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _permits, permits - 1, permits) == permits)
            {
                return true;
            }
        }
    }

    /// <summary>Takes a permit, waiting on the semaphore each time one is released; false on timeout.</summary>
    private async ValueTask<bool> WaitForPermitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = timeout == Timeout.InfiniteTimeSpan ? long.MaxValue : Environment.TickCount64 + (long)timeout.TotalMilliseconds;
        while (true)
        {
            // Registered before trying, so a release between the try and the wait is not missed.
            Interlocked.Increment(ref _waiters);
            try
            {
                if (TryTakePermit())
                {
                    return true;
                }

                var remaining = deadline == long.MaxValue ? Timeout.Infinite : (int)Math.Max(0, deadline - Environment.TickCount64);
                if (!await _released.WaitAsync(remaining, cancellationToken).ConfigureAwait(false))
                {
                    return TryTakePermit();
                }
            }
            finally
            {
                Interlocked.Decrement(ref _waiters);
            }
        }
    }

    private void ReleasePermits(int count)
    {
        Interlocked.Add(ref _permits, count);
        if (Volatile.Read(ref _waiters) > 0)
        {
            _released.Release(count);
        }
    }

    private IFastReader TakeOrOpen()
    {
        var start = Thread.GetCurrentProcessorId();
        for (var i = 0; i < _slots.Length; i++)
        {
            ref var slot = ref _slots[(start + i) % _slots.Length].Reader;
            if (Volatile.Read(ref slot) is not null && Interlocked.Exchange(ref slot, null) is { } reader)
            {
                return reader;
            }
        }

        try
        {
            var reader = _create();
            Interlocked.Increment(ref _open);
            return reader;
        }
        catch
        {
            ReleasePermits(1);
            throw;
        }
    }

    private bool TryPark(IFastReader reader)
    {
        var start = Thread.GetCurrentProcessorId();
        for (var i = 0; i < _slots.Length; i++)
        {
            if (Interlocked.CompareExchange(ref _slots[(start + i) % _slots.Length].Reader, reader, null) is null)
            {
                return true;
            }
        }

        return false;
    }

    private bool TryUnpark(IFastReader reader)
    {
        for (var i = 0; i < _slots.Length; i++)
        {
            if (Interlocked.CompareExchange(ref _slots[i].Reader, null, reader) == reader)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Closes every parked reader (on a server restart: their connections broke with it); rented ones are closed as they come back.</summary>
    public void CloseIdle()
    {
        for (var i = 0; i < _slots.Length; i++)
        {
            if (Interlocked.Exchange(ref _slots[i].Reader, null) is { } idle)
            {
                Close(idle);
            }
        }
    }

    private void Close(IFastReader reader)
    {
        reader.Dispose();
        Interlocked.Decrement(ref _open);
    }

    /// <summary>One idle reader, alone on its cache line.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 64)]
    private struct Slot
    {
        [FieldOffset(0)]
        public IFastReader? Reader;
    }
}
