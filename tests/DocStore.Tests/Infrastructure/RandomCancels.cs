namespace DocStore.Tests.Infrastructure;

/// <summary>
/// Calls made on 8 threads released together, each with a token that fires at a random moment within a few
/// milliseconds: what ended how.
/// </summary>
public static class RandomCancels
{
    /// <summary>Runs <paramref name="call"/> until <paramref name="duration"/> is over; errors <paramref name="expected"/> accepts are counted, not kept.</summary>
    public static async Task<(long Completed, long Cancelled, List<Exception> Unexpected)> RunAsync(
        TimeSpan duration,
        Func<Random, CancellationToken, Task> call,
        Func<Exception, bool>? expected = null)
    {
        var unexpected = new System.Collections.Concurrent.ConcurrentQueue<Exception>();
        long completed = 0, cancelled = 0;
        var until = DateTime.MaxValue;

        // The clock starts when all 8 are there. Each waits on a thread of its own: on pool threads, with the pool busy
        // (other tests), the last ones could arrive only after the whole duration.
        using var start = new Barrier(8, _ => until = DateTime.UtcNow + duration);
        var workers = Enumerable.Range(0, 8).Select(t => Task.Factory.StartNew(async () =>
        {
            var random = new Random(t);
            start.SignalAndWait();
            while (DateTime.UtcNow < until)
            {
                using var cancel = new CancellationTokenSource(TimeSpan.FromMicroseconds(random.Next(0, 4_000)));
                try
                {
                    await call(random, cancel.Token);
                    Interlocked.Increment(ref completed);
                }
                catch (OperationCanceledException)
                {
                    Interlocked.Increment(ref cancelled);
                }
                catch (Exception e) when (expected?.Invoke(e) != true)
                {
                    unexpected.Enqueue(e);
                }
                catch (Exception)
                {
                    // Accepted by the caller.
                }
            }
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap()).ToArray();
        await Task.WhenAll(workers);
        return (completed, cancelled, unexpected.ToList());
    }
}
