using System.Runtime.CompilerServices;

namespace DocStore.Fast.Tracking;

/// <summary>
/// One thread's read counts, in a small open-addressed table that only its owner thread writes. A read is
/// a plain increment of a slot no other core writes: no lock, no interlocked instruction, no cache line
/// pulled from another core (a counter on the shared cache entry did that, and made two reader threads
/// slower than one). The harvester only reads: it keeps its own copy of each slot's count as last taken
/// (<c>_taken</c>) and takes the difference; the owner gives a slot to another document only once its
/// count has been taken in full, so a count is never credited to the wrong document.
/// </summary>
/// <remarks>
/// Each slot is an (id, count) pair side by side, so a read touches one cache line. Ordering: the owner
/// writes a slot's id before the count that follows it, and the harvester reads the count before the id,
/// so a harvester that sees a new count also sees the id it belongs to.
/// </remarks>
internal sealed class ThreadReadTable
{
    private const int SizeBits = 13;
    private const int Size = 1 << SizeBits;
    private const int Mask = Size - 1;
    private const int Probes = 8;

    // Allocated on the first read recorded, so a thread that only counts hits and misses costs nothing more.
    private long[] _slots = [];
    private long[] _taken = [];

    /// <summary>Cache hits on this thread; written by the owner only (plain increments), read by anyone.</summary>
    public long Hits;

    /// <summary>Cache misses on this thread; written by the owner only.</summary>
    public long Misses;

    public ThreadReadTable() => Owner = Thread.CurrentThread;

    /// <summary>The thread that records into this table.</summary>
    public Thread Owner { get; }

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

    /// <summary>The reads counted and not yet taken (a moment's view, for statistics).</summary>
    public long Pending()
    {
        long pending = 0;
        var slots = Volatile.Read(ref _slots);
        var taken = _taken;
        for (var i = 0; i < slots.Length / 2; i++)
        {
            pending += Volatile.Read(ref slots[(2 * i) + 1]) - Volatile.Read(ref taken[i]);
        }

        return pending;
    }
}
