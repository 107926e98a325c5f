using System.Numerics;
using System.Runtime.InteropServices;

namespace DocStore.Fast.Tracking;

/// <summary>
/// A bounded, lock-free, multi-producer single-consumer buffer of (id, tick) records, striped by
/// processor so concurrent readers rarely touch the same cache line. Each stripe is a ring of
/// slots with sequence numbers (Dmitry Vyukov's bounded queue): a producer claims a slot with one
/// compare-and-swap and never waits; when its stripe is full the record is refused.
/// </summary>
internal sealed class AccessBuffer
{
    private const int MaxClaimAttempts = 4;
    private readonly Stripe[] _stripes;
    private readonly int _stripeMask;

    public AccessBuffer(int capacity)
    {
        var stripes = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(1, Environment.ProcessorCount));
        var perStripe = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(16, capacity / stripes));
        _stripes = new Stripe[stripes];
        for (var i = 0; i < stripes; i++)
        {
            _stripes[i] = new Stripe(perStripe);
        }

        _stripeMask = stripes - 1;
        Capacity = perStripe * stripes;
    }

    /// <summary>How many stripes the buffer has.</summary>
    public int StripeCount => _stripes.Length;

    /// <summary>Total slots over all stripes.</summary>
    public int Capacity { get; }

    /// <summary>Records ever accepted (the stripes' tails are monotonic, so this costs the hot path nothing).</summary>
    public long Accepted
    {
        get
        {
            long sum = 0;
            foreach (var stripe in _stripes)
            {
                sum += Volatile.Read(ref stripe.Tail.Value);
            }

            return sum;
        }
    }

    /// <summary>Adds a record; false (never a wait) when the stripe is full or contended past a few attempts.</summary>
    /// <param name="id">The document id.</param>
    /// <param name="tick">When, as <see cref="Environment.TickCount64"/>.</param>
    /// <param name="position">The record's position in its stripe, for batching signals.</param>
    /// <returns>True if stored.</returns>
    public bool TryAdd(long id, long tick, out long position) =>
        _stripes[Thread.GetCurrentProcessorId() & _stripeMask].TryAdd(id, tick, out position);

    /// <summary>Takes every published record. Only one thread may drain at a time.</summary>
    /// <param name="sink">Receives each record.</param>
    /// <returns>How many records were taken.</returns>
    public int Drain(Action<long, long> sink)
    {
        var total = 0;
        foreach (var stripe in _stripes)
        {
            total += stripe.Drain(sink);
        }

        return total;
    }

    private sealed class Stripe
    {
        private readonly Slot[] _slots;
        private readonly long _mask;
        private long _head;

        public Stripe(int size)
        {
            _slots = new Slot[size];
            for (var i = 0; i < size; i++)
            {
                _slots[i].Sequence = i;
            }

            _mask = size - 1;
        }

        public PaddedLong Tail;

        public bool TryAdd(long id, long tick, out long position)
        {
            for (var attempt = 0; attempt < MaxClaimAttempts; attempt++)
            {
                var pos = Volatile.Read(ref Tail.Value);
                ref var slot = ref _slots[pos & _mask];
                var diff = Volatile.Read(ref slot.Sequence) - pos;
                if (diff == 0)
                {
                    if (Interlocked.CompareExchange(ref Tail.Value, pos + 1, pos) == pos)
                    {
                        slot.Id = id;
                        slot.Tick = tick;
                        Volatile.Write(ref slot.Sequence, pos + 1);
                        position = pos;
                        return true;
                    }
                }
                else if (diff < 0)
                {
                    break;
                }
            }

            position = -1;
            return false;
        }

        public int Drain(Action<long, long> sink)
        {
            var taken = 0;
            while (true)
            {
                ref var slot = ref _slots[_head & _mask];
                if (Volatile.Read(ref slot.Sequence) != _head + 1)
                {
                    return taken;
                }

                sink(slot.Id, slot.Tick);
                Volatile.Write(ref slot.Sequence, _head + _mask + 1);
                _head++;
                taken++;
            }
        }
    }

    private struct Slot
    {
        public long Sequence;
        public long Id;
        public long Tick;
    }

    [StructLayout(LayoutKind.Explicit, Size = 128)]
    internal struct PaddedLong
    {
        [FieldOffset(64)]
        public long Value;
    }
}
