using BitFaster.Caching.Counters;

namespace DocStore.Fast.Sql;

/// <summary>
/// A bounded pool of <see cref="PooledReader"/>s, opened lazily (after Microsoft.Data.Sqlite's own pool):
/// a semaphore counts the permits, idle readers sit in slots taken with one atomic exchange each, starting
/// at a slot picked by the current processor so two threads rarely reach for the same one. A caller that
/// finds every reader busy waits on the semaphore asynchronously, never spinning on its thread, for at most
/// the pool's wait timeout; that wait is counted.
/// </summary>
internal sealed class ReadConnectionPool : IDisposable
{
    private readonly ReadConnectionSettings _settings;
    private readonly PooledReader?[] _slots;
    private readonly SemaphoreSlim _permits;
    private readonly int _maxSize;
    private readonly TimeSpan _waitTimeout;
    private readonly Counter _waits = new();
    private int _open;
    private int _disposed;
    private volatile bool _closing;

    public ReadConnectionPool(ReadConnectionSettings settings, int maxSize, TimeSpan waitTimeout)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxSize, 1);
        _settings = settings;
        _maxSize = maxSize;
        _slots = new PooledReader?[maxSize];
        _permits = new SemaphoreSlim(maxSize, maxSize);
        _waitTimeout = waitTimeout;
    }

    /// <summary>The most connections the pool opens.</summary>
    public int MaxSize => _maxSize;

    /// <summary>Connections open now.</summary>
    public int Open => Volatile.Read(ref _open);

    /// <summary>Rents that found every connection busy and had to wait.</summary>
    public long Waits => _waits.Count();

    /// <summary>Rents a reader at once if one is free (or can be opened); null when all are busy.</summary>
    public PooledReader? TryRent()
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        return _permits.Wait(0) ? TakeOrOpen() : null;
    }

    /// <summary>Waits, without blocking the thread, until a reader is free.</summary>
    public async ValueTask<PooledReader> RentAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (!_permits.Wait(0))
        {
            _waits.Increment();
            if (!await _permits.WaitAsync(_waitTimeout, cancellationToken).ConfigureAwait(false))
            {
                throw new DocStoreException($"All {_maxSize} read connections stayed busy for {_waitTimeout.TotalSeconds:0.#} s. Raise PoolSize or lower the number of concurrent readers.");
            }
        }

        return TakeOrOpen();
    }

    public void Return(PooledReader reader)
    {
        if (!_closing && Volatile.Read(ref _disposed) == 0 && TryPark(reader))
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

        _permits.Release();
    }

    /// <summary>Closes every connection and holds new rents until <see cref="Resume"/> (key rotation needs no other connection open).</summary>
    public async Task SuspendAsync()
    {
        _closing = true;
        for (var i = 0; i < _maxSize; i++)
        {
            // Holding every permit means no reader is rented; waiting for them does not poll.
            await _permits.WaitAsync().ConfigureAwait(false);
        }

        CloseIdle();
    }

    /// <summary>Lets rents open connections again.</summary>
    public void Resume()
    {
        _closing = false;
        _permits.Release(_maxSize);
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        CloseIdle();
    }

    private PooledReader TakeOrOpen()
    {
        var start = Thread.GetCurrentProcessorId();
        for (var i = 0; i < _slots.Length; i++)
        {
            var index = (start + i) % _slots.Length;
            if (Volatile.Read(ref _slots[index]) is not null && Interlocked.Exchange(ref _slots[index], null) is { } reader)
            {
                return reader;
            }
        }

        try
        {
            var reader = new PooledReader(_settings);
            Interlocked.Increment(ref _open);
            return reader;
        }
        catch
        {
            _permits.Release();
            throw;
        }
    }

    private bool TryPark(PooledReader reader)
    {
        var start = Thread.GetCurrentProcessorId();
        for (var i = 0; i < _slots.Length; i++)
        {
            if (Interlocked.CompareExchange(ref _slots[(start + i) % _slots.Length], reader, null) is null)
            {
                return true;
            }
        }

        return false;
    }

    private bool TryUnpark(PooledReader reader)
    {
        for (var i = 0; i < _slots.Length; i++)
        {
            if (Interlocked.CompareExchange(ref _slots[i], null, reader) == reader)
            {
                return true;
            }
        }

        return false;
    }

    private void CloseIdle()
    {
        for (var i = 0; i < _slots.Length; i++)
        {
            if (Interlocked.Exchange(ref _slots[i], null) is { } idle)
            {
                Close(idle);
            }
        }
    }

    private void Close(PooledReader reader)
    {
        reader.Dispose();
        Interlocked.Decrement(ref _open);
    }
}
