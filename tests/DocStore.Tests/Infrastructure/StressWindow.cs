namespace DocStore.Tests.Infrastructure;

/// <summary>
/// Releases a stress test's threads together and ends them together. The clock starts when the gate opens,
/// not when the test was set up, and every worker also completes a minimum number of iterations, so a
/// loaded machine makes the test slower rather than starving it of work (and its assertions of meaning).
/// </summary>
public sealed class StressWindow : IDisposable
{
    private readonly ManualResetEventSlim _gate = new();
    private readonly TimeSpan _duration;
    private long _end = long.MaxValue;

    public StressWindow(TimeSpan duration) => _duration = duration;

    /// <summary>Blocks a worker until <see cref="Start"/>.</summary>
    public void WaitForStart() => _gate.Wait();

    /// <summary>Opens the gate; the window lasts <c>duration</c> from now.</summary>
    public void Start()
    {
        Volatile.Write(ref _end, Environment.TickCount64 + (long)_duration.TotalMilliseconds);
        _gate.Set();
    }

    /// <summary>Whether a worker that has done <paramref name="iterations"/> should go on.</summary>
    public bool Running(long iterations, long minimum = 200) =>
        iterations < minimum || Environment.TickCount64 < Volatile.Read(ref _end);

    public void Dispose() => _gate.Dispose();
}
