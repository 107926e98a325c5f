using System.Diagnostics;

namespace DocStore.Bench.Harness;

/// <summary>
/// Runs one operation on N dedicated threads released together by a gate, for a warm-up and then a
/// measured period. Throughput counts every operation; latency is sampled (one operation in
/// <see cref="SampleEvery"/> is timed) so two clock reads do not distort sub-100 ns operations.
/// BenchmarkDotNet is a single-thread tool; multi-thread throughput needs a harness like this one.
/// </summary>
public static class ThroughputRunner
{
    public const int SampleEvery = 8;

    /// <summary>Runs <paramref name="operation"/> (given the thread index and a per-thread random source) and reports ops/s and sampled latency.</summary>
    public static RunResult Run(string workload, string system, int threads, TimeSpan warmup, TimeSpan duration, Action<int, Random> operation, Action<string>? log = null)
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
                    // Warm-up: same loop, nothing recorded.
                    while (Stopwatch.GetTimestamp() < Volatile.Read(ref measureStart))
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
        var now = Stopwatch.GetTimestamp();
        measureStart = now + (long)(warmup.TotalSeconds * Stopwatch.Frequency);
        measureEnd = measureStart + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        gate.Set();

        // The GC counters are process-wide: bracket the measured period (warm-up excluded) from this thread.
        var untilStart = TimeSpan.FromSeconds((measureStart - Stopwatch.GetTimestamp()) / (double)Stopwatch.Frequency);
        if (untilStart > TimeSpan.Zero)
        {
            Thread.Sleep(untilStart);
        }

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
        log?.Invoke($"    {system,-18} {threads,2} thr  {result.OpsPerSecond,14:N0} ops/s  p50 {result.P50Us,9:N2} us  p99 {result.P99Us,9:N2} us  {gc.BytesPerOperation,9:N0} B/op  GC {gc.PauseShare,6:P1} ({gc.Gen0}/{gc.Gen1}/{gc.Gen2})");
        return result;
    }
}
