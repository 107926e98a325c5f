using DocStore.Fast.Internal;

namespace DocStore.Fast.Sql;

/// <summary>
/// A bounded pool of <see cref="PooledReader"/>s, opened lazily. Renting swaps a reader out of a
/// slot with one atomic exchange, starting at a slot picked by the current processor, so two
/// threads rarely reach for the same slot. Only when every reader is in use and the pool is at its
/// size does a caller wait (spinning, then yielding), and that wait is counted.
/// </summary>
internal sealed class ReadConnectionPool : IDisposable
{
    private readonly ReadConnectionSettings _settings;
    private readonly PooledReader?[] _slots;
    private readonly int _maxSize;
    private readonly TimeSpan _waitTimeout;
    private readonly StripedCounter _waits = new();
    private int _created;
    private int _disposed;
    private volatile bool _suspended;

    public ReadConnectionPool(ReadConnectionSettings settings, int maxSize, TimeSpan waitTimeout)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxSize, 1);
        _settings = settings;
        _maxSize = maxSize;
        _slots = new PooledReader?[maxSize];
        _waitTimeout = waitTimeout;
    }

    /// <summary>The most connections the pool opens.</summary>
    public int MaxSize => _maxSize;

    /// <summary>Connections opened so far.</summary>
    public int Created => Volatile.Read(ref _created);

    /// <summary>Rents that found every connection busy and had to wait.</summary>
    public long Waits => _waits.Value;

    public PooledReader Rent()
    {
        if (_suspended)
        {
            return WaitForReader();
        }

        if (TryTake() is { } reader)
        {
            return reader;
        }

        if (TryCreate() is { } created)
        {
            return created;
        }

        return WaitForReader();
    }

    public void Return(PooledReader reader)
    {
        if (_suspended)
        {
            reader.Dispose();
            Interlocked.Decrement(ref _created);
            return;
        }

        if (Volatile.Read(ref _disposed) == 0)
        {
            var start = Thread.GetCurrentProcessorId();
            for (var i = 0; i < _slots.Length; i++)
            {
                if (Interlocked.CompareExchange(ref _slots[(start + i) % _slots.Length], reader, null) is null)
                {
                    // Dispose may have swept the slots between the check above and this store.
                    if (Volatile.Read(ref _disposed) != 0 && Interlocked.CompareExchange(ref _slots[(start + i) % _slots.Length], null, reader) == reader)
                    {
                        break;
                    }

                    return;
                }
            }
        }

        reader.Dispose();
    }

    /// <summary>Closes every connection: idle ones now, rented ones as they come back; new rents wait until <see cref="Resume"/>.</summary>
    public async Task SuspendAsync()
    {
        _suspended = true;
        for (var i = 0; i < _slots.Length; i++)
        {
            if (Interlocked.Exchange(ref _slots[i], null) is { } idle)
            {
                idle.Dispose();
                Interlocked.Decrement(ref _created);
            }
        }

        while (Volatile.Read(ref _created) > 0)
        {
            await Task.Delay(1).ConfigureAwait(false);
        }
    }

    /// <summary>Lets rents open connections again.</summary>
    public void Resume() => _suspended = false;

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        for (var i = 0; i < _slots.Length; i++)
        {
            Interlocked.Exchange(ref _slots[i], null)?.Dispose();
        }
    }

    private PooledReader? TryTake()
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

        return null;
    }

    private PooledReader? TryCreate()
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (Interlocked.Increment(ref _created) > _maxSize)
        {
            Interlocked.Decrement(ref _created);
            return null;
        }

        try
        {
            return new PooledReader(_settings);
        }
        catch
        {
            Interlocked.Decrement(ref _created);
            throw;
        }
    }

    private PooledReader WaitForReader()
    {
        _waits.Increment();
        var deadline = Environment.TickCount64 + (long)_waitTimeout.TotalMilliseconds;
        var spinner = default(SpinWait);
        while (true)
        {
            ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
            if (!_suspended && (TryTake() ?? TryCreate()) is { } reader)
            {
                return reader;
            }

            if (Environment.TickCount64 > deadline)
            {
                throw new DocStoreException($"All {_maxSize} read connections stayed busy for {_waitTimeout.TotalSeconds:0} s. Raise PoolSize or lower the number of concurrent readers.");
            }

            spinner.SpinOnce(sleep1Threshold: 64);
        }
    }
}
