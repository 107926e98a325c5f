using System.Diagnostics;

namespace DocStore.Bench.Harness;

/// <summary>
/// One (workload, system, threads) cell, measured in one or more slices: N dedicated threads run one operation,
/// released together for each slice, first for a warm-up and then for a measured period. The threads live as long
/// as the cell, so a later slice continues on the same threads with the same random sources (per-thread state a
/// system keeps, such as the raw floor's connection or the store's read-count table, is not rebuilt each slice).
/// Throughput counts every operation; latency is sampled (one operation in <see cref="SampleEvery"/> is timed) so
/// two clock reads do not distort sub-100 ns operations. <see cref="Total"/> adds the slices up.
/// BenchmarkDotNet is a single-thread tool; multi-thread throughput needs a harness like this one.
/// </summary>
public sealed class ThroughputCell : IDisposable
{
    public const int SampleEvery = 8;

    /// <summary>How long the JIT must have compiled nothing before the warm-up may end.</summary>
    private static readonly TimeSpan JitQuiet = TimeSpan.FromMilliseconds(300);

    private readonly string _workload;
    private readonly string _system;
    private readonly Action<int, Random> _operation;
    private readonly Action? _settle;
    private readonly Thread[] _workers;
    private readonly LatencyHistogram[] _histograms;
    // One per thread: a shared semaphore could let a thread that finished early take another's turn.
    private readonly SemaphoreSlim[] _starts;
    private readonly List<double> _sliceRates = [];
    private Slice? _slice;
    private long _operations;
    private double _seconds;
    private GcSnapshot _gc;
    private bool _disposed;

    /// <param name="settle">
    /// Runs after each slice, outside its measured time: finishes the background work the operations left (a store
    /// writes its pending read counts) so that it does not fall into the next cell's slice. Not timed, because the
    /// background work of the slice's warm-up falls inside the measured time instead: a store writes counts once a
    /// second, so with a later round's warm-up of about half a second, each measured second holds on average about
    /// one second's worth of writes, as in a long run. (Timed, a 1-thread slice would pay for its last write in wall
    /// time, where in a long run that write runs beside the reading thread, on the other core.)
    /// </param>
    public ThroughputCell(string workload, string system, int threads, Action<int, Random> operation, Action? settle = null)
    {
        _workload = workload;
        _system = system;
        _operation = operation;
        _settle = settle;
        _histograms = new LatencyHistogram[threads];
        _workers = new Thread[threads];
        _starts = new SemaphoreSlim[threads];
        for (var t = 0; t < threads; t++)
        {
            var index = t;
            _histograms[t] = new LatencyHistogram();
            _starts[t] = new SemaphoreSlim(0);
            _workers[t] = new Thread(() => Work(index)) { IsBackground = true, Name = $"bench-{system}-{index}" };
            _workers[t].Start();
        }
    }

    /// <summary>Every slice so far as one result: operations over measured seconds, latency over every sample, GC over every slice.</summary>
    public RunResult Total
    {
        get
        {
            var merged = new LatencyHistogram();
            foreach (var histogram in _histograms)
            {
                merged.Add(histogram);
            }

            var gc = _gc.Since(default, _seconds, _operations);
            return new RunResult(_workload, _system, _workers.Length, _seconds <= 0 ? 0 : _operations / _seconds, merged.PercentileMicroseconds(50), merged.PercentileMicroseconds(95), merged.PercentileMicroseconds(99), _operations)
            {
                Gc = gc,
                RoundOpsPerSecond = _sliceRates.Count > 1 ? [.. _sliceRates] : null,
            };
        }
    }

    /// <summary>Runs a cell of one slice: the whole measurement of a cell that is not interleaved with others.</summary>
    public static RunResult RunOnce(string workload, string system, int threads, TimeSpan warmup, TimeSpan warmupLimit, TimeSpan duration, Action<int, Random> operation, Action<string>? log = null)
    {
        using var cell = new ThroughputCell(workload, system, threads, operation);
        cell.Measure(warmup, warmupLimit, duration, log);
        return cell.Total;
    }

    /// <summary>
    /// Releases the threads for one slice: a warm-up of at least <paramref name="warmup"/> that goes on while the JIT
    /// compiles (at most <paramref name="warmupLimit"/>), then <paramref name="duration"/> measured, added to <see cref="Total"/>.
    /// </summary>
    public void Measure(TimeSpan warmup, TimeSpan warmupLimit, TimeSpan duration, Action<string>? log = null)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var threads = _workers.Length;
        // A full collection first, untimed: a gen2 collection the previous cell's garbage made due falls here instead
        // of in this slice (with compare's read cells all open, the heap holds several caches and the corpus).
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        using var slice = new Slice(threads);
        Volatile.Write(ref _slice, slice);
        var released = Stopwatch.GetTimestamp();
        foreach (var start in _starts)
        {
            start.Release();
        }

        Thread.Sleep(warmup);
        SettleJit(warmupLimit - warmup);

        // The end first: a worker that sees the start sees the end too.
        var begin = Stopwatch.GetTimestamp();
        Volatile.Write(ref slice.End, begin + (long)(duration.TotalSeconds * Stopwatch.Frequency));
        Volatile.Write(ref slice.Start, begin);
        var warmedUp = Stopwatch.GetElapsedTime(released, begin);

        // The GC counters are process-wide: bracket the measured period (warm-up excluded) from this thread.
        var gcStart = GcSnapshot.Now();
        slice.Done.Wait();
        var gcEnd = GcSnapshot.Now();

        // Threads stop at their first check past the end; the measured span is up to the last one to stop.
        var elapsed = Math.Max(duration.TotalSeconds, (Stopwatch.GetTimestamp() - begin) / (double)Stopwatch.Frequency);
        _settle?.Invoke();
        if (slice.Errors.FirstOrDefault(e => e is not null) is { } error)
        {
            throw new InvalidOperationException($"{_workload} on {_system} failed: {error.Message}", error);
        }

        var operations = slice.Counts.Sum();
        _operations += operations;
        _seconds += elapsed;
        _gc += gcEnd - gcStart;
        var rate = operations / elapsed;
        _sliceRates.Add(rate);
        var gc = (gcEnd - gcStart).Since(default, elapsed, operations);
        log?.Invoke($"    {_system,-18} {threads,2} thr  {rate,14:N0} ops/s  {gc.BytesPerOperation,9:N0} B/op  GC {gc.PauseShare,6:P1} ({gc.Gen0}/{gc.Gen1}/{gc.Gen2})  warm-up {warmedUp.TotalSeconds:N1} s");
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        Volatile.Write(ref _slice, null);
        foreach (var start in _starts)
        {
            start.Release();
        }

        foreach (var worker in _workers)
        {
            worker.Join();
        }

        foreach (var start in _starts)
        {
            start.Dispose();
        }
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

    private void Work(int index)
    {
        var random = new Random(index * 7919 + 17);
        var histogram = _histograms[index];
        while (true)
        {
            _starts[index].Wait();
            if (Volatile.Read(ref _slice) is not { } slice)
            {
                return;
            }

            try
            {
                // Warm-up: same loop, nothing recorded, until the measured period's start is set and reached.
                while (Volatile.Read(ref slice.Start) is var start && (start == 0 || Stopwatch.GetTimestamp() < start))
                {
                    for (var i = 0; i < 16; i++)
                    {
                        _operation(index, random);
                    }
                }

                long done = 0;
                var end = Volatile.Read(ref slice.End);
                while (true)
                {
                    for (var i = 0; i < SampleEvery; i++)
                    {
                        if (i == 0)
                        {
                            var started = Stopwatch.GetTimestamp();
                            _operation(index, random);
                            histogram.Record((long)((Stopwatch.GetTimestamp() - started) * (1e9 / Stopwatch.Frequency)));
                        }
                        else
                        {
                            _operation(index, random);
                        }
                    }

                    done += SampleEvery;
                    if (Stopwatch.GetTimestamp() >= end)
                    {
                        break;
                    }
                }

                slice.Counts[index] = done;
            }
            catch (Exception e)
            {
                slice.Errors[index] = e;
            }

            slice.Done.Signal();
        }
    }

    /// <summary>One slice's shared state: when its measured period starts and ends, and what each thread did.</summary>
    private sealed class Slice(int threads) : IDisposable
    {
        public long Start;
        public long End;

        public long[] Counts { get; } = new long[threads];

        public Exception?[] Errors { get; } = new Exception?[threads];

        public CountdownEvent Done { get; } = new(threads);

        public void Dispose() => Done.Dispose();
    }
}
