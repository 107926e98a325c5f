using System.Diagnostics;

namespace DocStore.Bench.Harness;

/// <summary>
/// Runs one operation on N dedicated threads released together by a gate, for a warm-up and then a
/// measured period. The warm-up lasts until the JIT has stopped compiling (see <see cref="SettleJit"/>).
/// Throughput counts every operation; latency is sampled (one operation in <see cref="SampleEvery"/> is
/// timed) so two clock reads do not distort sub-100 ns operations.
/// BenchmarkDotNet is a single-thread tool; multi-thread throughput needs a harness like this one.
/// </summary>
public static class ThroughputRunner
{
    public const int SampleEvery = 8;

    /// <summary>How long the JIT must have compiled nothing before the warm-up may end.</summary>
    private static readonly TimeSpan JitQuiet = TimeSpan.FromMilliseconds(300);

    /// <summary>
    /// Runs <paramref name="operation"/> (given the thread index and a per-thread random source) and reports ops/s and
    /// sampled latency. The warm-up lasts at least <paramref name="warmup"/> and at most <paramref name="warmupLimit"/>.
    /// </summary>
    public static RunResult Run(string workload, string system, int threads, TimeSpan warmup, TimeSpan warmupLimit, TimeSpan duration, Action<int, Random> operation, Action<string>? log = null)
    {
        var histograms = new LatencyHistogram[threads];
        var counts = new long[threads];
        var errors = new Exception?[threads];
        using var ready = new CountdownEvent(threads);
        using var gate = new ManualResetEventSlim();
        long measureStart = 0;
        long measureEnd = 0;

        var workers = new Thread[threads];
        for (var t = 0; t < threads; t++)
        {
            var index = t;
            workers[t] = new Thread(() =>
            {
                var random = new Random(index * 7919 + 17);
                var histogram = new LatencyHistogram();
                ready.Signal();
                gate.Wait();
                try
                {
                    // Warm-up: same loop, nothing recorded, until the measured period's start is set and reached.
                    while (Volatile.Read(ref measureStart) is var start && (start == 0 || Stopwatch.GetTimestamp() < start))
                    {
                        for (var i = 0; i < 16; i++)
                        {
                            operation(index, random);
                        }
                    }

                    long done = 0;
                    var end = Volatile.Read(ref measureEnd);
                    while (true)
                    {
                        for (var i = 0; i < SampleEvery; i++)
                        {
                            if (i == 0)
                            {
                                var start = Stopwatch.GetTimestamp();
                                operation(index, random);
                                histogram.Record((long)((Stopwatch.GetTimestamp() - start) * (1e9 / Stopwatch.Frequency)));
                            }
                            else
                            {
                                operation(index, random);
                            }
                        }

                        done += SampleEvery;
                        if (Stopwatch.GetTimestamp() >= end)
                        {
                            break;
                        }
                    }

                    counts[index] = done;
                }
                catch (Exception e)
                {
                    errors[index] = e;
                }

                histograms[index] = histogram;
            })
            { IsBackground = true, Name = $"bench-{index}" };
            workers[t].Start();
        }

        ready.Wait();
        var released = Stopwatch.GetTimestamp();
        gate.Set();
        Thread.Sleep(warmup);
        SettleJit(warmupLimit - warmup);

        // The end first: a worker that sees the start sees the end too.
        var begin = Stopwatch.GetTimestamp();
        Volatile.Write(ref measureEnd, begin + (long)(duration.TotalSeconds * Stopwatch.Frequency));
        Volatile.Write(ref measureStart, begin);
        var warmedUp = Stopwatch.GetElapsedTime(released, begin);

        // The GC counters are process-wide: bracket the measured period (warm-up excluded) from this thread.
        var gcStart = GcSnapshot.Now();
        foreach (var worker in workers)
        {
            worker.Join();
        }

        var gcEnd = GcSnapshot.Now();

        // Threads stop at their first check past the end; the measured span is up to the last one to stop.
        var elapsed = Math.Max(duration.TotalSeconds, (Stopwatch.GetTimestamp() - measureStart) / (double)Stopwatch.Frequency);
        if (errors.FirstOrDefault(e => e is not null) is { } error)
        {
            throw new InvalidOperationException($"{workload} on {system} failed: {error.Message}", error);
        }

        var merged = new LatencyHistogram();
        foreach (var histogram in histograms)
        {
            merged.Add(histogram);
        }

        var operations = counts.Sum();
        var gc = gcEnd.Since(gcStart, elapsed, operations);
        var result = new RunResult(workload, system, threads, operations / elapsed, merged.PercentileMicroseconds(50), merged.PercentileMicroseconds(95), merged.PercentileMicroseconds(99), operations) { Gc = gc };
        log?.Invoke($"    {system,-18} {threads,2} thr  {result.OpsPerSecond,14:N0} ops/s  p50 {result.P50Us,9:N2} us  p99 {result.P99Us,9:N2} us  {gc.BytesPerOperation,9:N0} B/op  GC {gc.PauseShare,6:P1} ({gc.Gen0}/{gc.Gen1}/{gc.Gen2})  warm-up {warmedUp.TotalSeconds:N1} s");
        return result;
    }

    /// <summary>
    /// Waits (at most <paramref name="limit"/>) until the JIT has compiled no method for <see cref="JitQuiet"/>. Why:
    /// the runtime first runs a method's quickly compiled code and replaces it with optimized code only after it has
    /// been called often enough, on a background thread; with 10 threads on 2 cores that thread gets little time, and
    /// a fixed 0.75 s warm-up left the store's miss path in its first tier for part of the measured period
    /// (`perf` showed it; in three alternating pairs, zipfian gets measured 15-39% faster after a 3 s warm-up, the
    /// bare reader loop 0-8%).
    /// </summary>
    private static void SettleJit(TimeSpan limit)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(Math.Max(0, limit.TotalSeconds) * Stopwatch.Frequency);
        var compiled = System.Runtime.JitInfo.GetCompiledMethodCount();
        while (Stopwatch.GetTimestamp() < deadline)
        {
            Thread.Sleep(JitQuiet);
            var now = System.Runtime.JitInfo.GetCompiledMethodCount();
            if (now == compiled)
            {
                return;
            }

            compiled = now;
        }
    }
}
