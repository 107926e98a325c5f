namespace DocStore.Internal;

/// <summary>
/// Lets EF Core reads run freely until a key rotation closes the gate: then new reads wait and the
/// rotation waits for reads in flight, because SQLCipher 4 cannot rekey a WAL database while other
/// connections are open. Only encrypted stores use it.
/// </summary>
internal sealed class ReadGate
{
    private volatile TaskCompletionSource? _closed;
    private int _active;

    public async ValueTask<Ticket> EnterAsync()
    {
        while (true)
        {
            if (_closed is { } closed)
            {
                await closed.Task.ConfigureAwait(false);
                continue;
            }

            Interlocked.Increment(ref _active);
            if (_closed is null)
            {
                return new Ticket(this);
            }

            Interlocked.Decrement(ref _active);
        }
    }

    public async Task CloseAsync()
    {
        _closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        while (Volatile.Read(ref _active) > 0)
        {
            await Task.Delay(1).ConfigureAwait(false);
        }
    }

    public void Open()
    {
        var closed = _closed;
        _closed = null;
        closed?.TrySetResult();
    }

    /// <summary>One read's pass through the gate; disposing it lets a waiting rotation proceed.</summary>
    internal readonly struct Ticket : IDisposable
    {
        private readonly ReadGate? _gate;

        public Ticket(ReadGate gate) => _gate = gate;

        public void Dispose()
        {
            if (_gate is not null)
            {
                Interlocked.Decrement(ref _gate._active);
            }
        }
    }
}
