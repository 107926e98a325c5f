using System.Runtime.CompilerServices;

namespace DocStore.Bench.Micro.Replaced;

/// <summary>
/// The per-thread read count table as it was before 2026-11-24: (id, count) pairs with linear probing over 8 slots,
/// the probe reading the harvested counts to find a free slot. Kept to measure the store's bucketed table against it
/// (<see cref="ReadCountBenchmarks"/>); only what that measures is kept.
/// </summary>
internal sealed class PairReadTable
{
    private const int SizeBits = 13;
    private const int Size = 1 << SizeBits;
    private const int Mask = Size - 1;
    private const int Probes = 8;

    // Allocated on the first read recorded, so a thread that only counts hits and misses costs nothing more.
    private long[] _slots = [];
    private long[] _taken = [];

    /// <summary>The slot where <paramref name="id"/>'s probe starts.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int StartOf(long id) =>
        // Fibonacci hashing: the top bits of id * 2^64/phi spread consecutive ids over the whole table.
        (int)((ulong)(id * unchecked((long)0x9E3779B97F4A7C15)) >> (64 - SizeBits));

    /// <summary>
    /// The id in slot <paramref name="start"/> (0 while the table is empty), read by the owner before it looks a document
    /// up in the cache, so that this memory read overlaps the lookup's instead of following it (measured: waiting for
    /// the slot after the lookup made the count most of a hit's cost). Pass it to <see cref="TryRecord(long, int, long)"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public long IdAt(int start)
    {
        var slots = _slots;
        return (uint)(2 * start) < (uint)slots.Length ? slots[2 * start] : 0;
    }

    /// <summary>Counts one read of <paramref name="id"/> whose start slot held <paramref name="seen"/> (from <see cref="IdAt"/>); else as <see cref="TryRecord(long)"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryRecord(long id, int start, long seen)
    {
        if (seen == id)
        {
            // Only the owner writes ids, and it has not since IdAt: the slot is still id's.
            CountOneMore(start);
            return true;
        }

        return TryRecord(id);
    }

    /// <summary>
    /// Counts one read of <paramref name="id"/> (owner thread only). False when every slot the id may use
    /// holds another document's count not yet taken: the caller records the read elsewhere.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryRecord(long id)
    {
        if (_slots.Length == 0)
        {
            _taken = new long[Size];
            Volatile.Write(ref _slots, new long[2 * Size]);
        }

        var start = StartOf(id);
        var free = -1;
        for (var probe = 0; probe < Probes; probe++)
        {
            var index = (start + probe) & Mask;
            if (_slots[2 * index] == id)
            {
                CountOneMore(index);
                return true;
            }

            if (free < 0 && (_slots[2 * index] == 0 || Volatile.Read(ref _taken[index]) == _slots[(2 * index) + 1]))
            {
                free = index;
            }
        }

        if (free < 0)
        {
            return false;
        }

        // Nothing of the slot's previous document is left to take: the slot (and its running count) changes hands.
        Volatile.Write(ref _slots[2 * free], id);
        CountOneMore(free);
        return true;
    }

    /// <summary>One more read in slot <paramref name="index"/> (owner only; written after the slot's id, see the remarks).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void CountOneMore(int index)
    {
        var slots = _slots;
        Volatile.Write(ref slots[(2 * index) + 1], slots[(2 * index) + 1] + 1);
    }

    /// <summary>Takes every count not taken yet (one harvester at a time).</summary>
    public void Harvest(Action<long, long> add)
    {
        var slots = Volatile.Read(ref _slots);
        var taken = _taken;
        for (var i = 0; i < slots.Length / 2; i++)
        {
            var count = Volatile.Read(ref slots[(2 * i) + 1]);
            var reads = count - taken[i];
            if (reads > 0)
            {
                add(Volatile.Read(ref slots[2 * i]), reads);
                Volatile.Write(ref taken[i], count);
            }
        }
    }
}
