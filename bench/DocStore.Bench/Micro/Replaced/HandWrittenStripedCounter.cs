using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace DocStore.Bench.Micro.Replaced;

/// <summary>
/// A counter that many threads increment without contending: one padded cell per stripe, picked by
/// the current processor, summed on read. A single shared counter would bounce its cache line
/// between cores on every cache hit (the multi-thread pitfall BitFaster.Caching documents).
/// </summary>
internal sealed class HandWrittenStripedCounter
{
    private readonly PaddedLong[] _cells;
    private readonly int _mask;

    public HandWrittenStripedCounter()
    {
        var stripes = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(2, Environment.ProcessorCount * 2));
        _cells = new PaddedLong[stripes];
        _mask = stripes - 1;
    }

    /// <summary>The sum over all stripes; exact once writers are quiet.</summary>
    public long Value
    {
        get
        {
            long sum = 0;
            for (var i = 0; i < _cells.Length; i++)
            {
                sum += Volatile.Read(ref _cells[i].Value);
            }

            return sum;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Increment() => Interlocked.Increment(ref _cells[Thread.GetCurrentProcessorId() & _mask].Value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Add(long amount) => Interlocked.Add(ref _cells[Thread.GetCurrentProcessorId() & _mask].Value, amount);

    public void Reset()
    {
        for (var i = 0; i < _cells.Length; i++)
        {
            Volatile.Write(ref _cells[i].Value, 0);
        }
    }

    /// <summary>A long alone on its 128-byte span (two cache lines, for adjacent-line prefetch).</summary>
    [StructLayout(LayoutKind.Explicit, Size = 128)]
    private struct PaddedLong
    {
        [FieldOffset(64)]
        public long Value;
    }
}
