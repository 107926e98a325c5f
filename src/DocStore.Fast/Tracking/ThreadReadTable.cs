using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace DocStore.Fast.Tracking;

/// <summary>
/// One thread's read counts, in a small hash table that only its owner thread writes. A read is a plain
/// increment of a slot no other core writes: no lock, no interlocked instruction, no cache line pulled from
/// another core (a counter on the shared cache entry did that, and made two reader threads slower than one).
/// The harvester only reads: it keeps its own copy of each slot's count as last taken (<c>_taken</c>) and
/// takes the difference; the owner gives a slot to another document only once its count has been taken in
/// full, so a count is never credited to the wrong document.
/// </summary>
/// <remarks>
/// <para>Slots come in buckets of four, each bucket one 64-byte cache line (four ids, then their four
/// counts), and an id hashes to a bucket. So counting a read touches one line, the one <see cref="Match"/>
/// loaded and compared while the cache lookup ran; <c>_taken</c> is read only when a slot changes hands. An
/// id whose bucket is full takes the next bucket; when both are, the caller counts the read elsewhere. Why:
/// the table of (id, count) pairs with linear probing that this replaced left about three in ten ids of a
/// 5,000-document hot set off their first slot (at that load), where each probe also read <c>_taken</c>, and
/// a pair could straddle two lines, as nothing kept the array on a 16-byte boundary (measured,
/// <c>ReadCountBenchmarks</c>: counting a read of a 5,000-document hot set took about half as long).</para>
/// <para>Ordering: the owner writes a slot's id before the count, and the harvester reads the count before
/// the id, so a harvester that sees a new count also sees the id it belongs to.</para>
/// </remarks>
internal sealed class ThreadReadTable
{
    private const int BucketBits = 11;
    private const int Buckets = 1 << BucketBits;
    private const int BucketMask = Buckets - 1;
    private const int Ways = 4;
    private const int Slots = Buckets * Ways;

    // Longs per bucket (four ids, four counts) and per cache line.
    private const int Stride = 2 * Ways;

    // Allocated on the first read recorded, so a thread that only counts hits and misses costs nothing more.
    // Pinned, so that the buckets can start on a cache-line boundary (_origin) and stay there.
    private long[] _memory = [];
    private int _origin;
    private long[] _taken = [];

    /// <summary>Cache hits on this thread; written by the owner only (plain increments), read by anyone.</summary>
    public long Hits;

    /// <summary>Cache misses on this thread; written by the owner only.</summary>
    public long Misses;

    public ThreadReadTable() => Owner = Thread.CurrentThread;

    /// <summary>The thread that records into this table.</summary>
    public Thread Owner { get; }

    /// <summary>The bucket that holds <paramref name="id"/>'s count.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int BucketOf(long id) =>
        // Fibonacci hashing: the top bits of id * 2^64/phi spread consecutive ids over the whole table.
        (int)((ulong)(id * unchecked((long)0x9E3779B97F4A7C15)) >> (64 - BucketBits));

    /// <summary>
    /// Which of <paramref name="bucket"/>'s four slots hold <paramref name="id"/> (a bit mask, 0 when none does, or while
    /// the table is empty). The owner calls it before it looks the document up in the cache, so that loading the bucket's
    /// line overlaps the lookup instead of following it (measured: waiting for the count's memory after the lookup made it
    /// most of a hit's cost), and passes the mask to <see cref="TryRecord(long, int, uint)"/>: only the owner writes ids,
    /// so the mask still holds then.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public uint Match(long id, int bucket)
    {
        var memory = _memory;
        var at = _origin + (bucket * Stride);
        if (!Vector256.IsHardwareAccelerated || (uint)(at + Ways) > (uint)memory.Length)
        {
            // Without 256-bit vectors (or before the first read): no match, and TryRecord's slow path looks the id up.
            return 0;
        }

        // The four ids in one compare: no branch on which slot holds the id, which the processor could not predict.
        return Vector256.Equals(Vector256.LoadUnsafe(ref MemoryMarshal.GetArrayDataReference(memory), (nuint)at), Vector256.Create(id)).ExtractMostSignificantBits();
    }

    /// <summary>Counts one read of <paramref name="id"/>, given its <see cref="Match"/> in <paramref name="bucket"/>; else as <see cref="TryRecord(long)"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryRecord(long id, int bucket, uint match)
    {
        if (match != 0)
        {
            CountOneMore(_origin + (bucket * Stride) + BitOperations.TrailingZeroCount(match));
            return true;
        }

        return TryRecord(id);
    }

    /// <summary>
    /// Counts one read of <paramref name="id"/> (owner thread only). False when every slot the id may use
    /// holds another document's count not yet taken: the caller records the read elsewhere.
    /// </summary>
    public bool TryRecord(long id)
    {
        if (_memory.Length == 0)
        {
            Allocate();
        }

        var memory = _memory;
        var bucket = BucketOf(id);

        // First the id's own slot, if it has one: ids only, in one or two lines.
        for (var way = 0; way < 2 * Ways; way++)
        {
            var at = IdIndex(SlotOf(bucket, way));
            var held = memory[at];
            if (held == id)
            {
                CountOneMore(at);
                return true;
            }

            if (held == 0)
            {
                // Slots are filled in this order and never emptied, so the id is not further on.
                break;
            }
        }

        // Then the first slot free to take: never used, or its document's count taken in full.
        for (var way = 0; way < 2 * Ways; way++)
        {
            var slot = SlotOf(bucket, way);
            var at = IdIndex(slot);
            if (memory[at] == 0 || Volatile.Read(ref _taken[slot]) == memory[at + Ways])
            {
                // Nothing of the slot's previous document is left to take: the slot (and its running count) changes hands.
                Volatile.Write(ref memory[at], id);
                CountOneMore(at);
                return true;
            }
        }

        return false;
    }

    /// <summary>Takes every count not taken yet (one harvester at a time).</summary>
    public void Harvest(Action<long, long> add)
    {
        var memory = Volatile.Read(ref _memory);
        if (memory.Length == 0)
        {
            return;
        }

        var taken = _taken;
        for (var slot = 0; slot < Slots; slot++)
        {
            var at = IdIndex(slot);
            var count = Volatile.Read(ref memory[at + Ways]);
            var reads = count - taken[slot];
            if (reads > 0)
            {
                add(Volatile.Read(ref memory[at]), reads);
                Volatile.Write(ref taken[slot], count);
            }
        }
    }

    /// <summary>The reads counted and not yet taken (a moment's view, for statistics).</summary>
    public long Pending()
    {
        var memory = Volatile.Read(ref _memory);
        if (memory.Length == 0)
        {
            return 0;
        }

        long pending = 0;
        var taken = _taken;
        for (var slot = 0; slot < Slots; slot++)
        {
            pending += Volatile.Read(ref memory[IdIndex(slot) + Ways]) - Volatile.Read(ref taken[slot]);
        }

        return pending;
    }

    /// <summary>The slot number (as in <c>_taken</c>) of way <paramref name="way"/> of <paramref name="bucket"/>; ways 4-7 are the next bucket's 0-3.</summary>
    private static int SlotOf(int bucket, int way) => (((bucket + (way / Ways)) & BucketMask) * Ways) + (way % Ways);

    /// <summary>Where slot <paramref name="slot"/>'s id is in <c>_memory</c>; its count is <see cref="Ways"/> further.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int IdIndex(int slot) => _origin + ((slot / Ways) * Stride) + (slot % Ways);

    /// <summary>One more read for the id at <paramref name="at"/> (owner only; written after the slot's id, see the remarks).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void CountOneMore(int at)
    {
        var memory = _memory;
        Volatile.Write(ref memory[at + Ways], memory[at + Ways] + 1);
    }

    private void Allocate()
    {
        // One line's worth of slack, so that bucket 0 can start on a 64-byte boundary wherever the array lands.
        var memory = GC.AllocateArray<long>((Buckets * Stride) + Stride, pinned: true);
        var misalignment = (int)(Marshal.UnsafeAddrOfPinnedArrayElement(memory, 0) & 63);
        _origin = misalignment == 0 ? 0 : (64 - misalignment) / sizeof(long);
        _taken = new long[Slots];
        Volatile.Write(ref _memory, memory);
    }
}
