using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace DocStore.Bench.Micro.Replaced;

/// <summary>
/// The L1 cache DocStore used before it moved to BitFaster.Caching, kept here only as the "before" of the
/// before/after micro-benchmark (<see cref="CacheBenchmarks"/>); the product no longer uses it.
/// A thread-safe, bounded, pseudo-LRU cache: a <see cref="ConcurrentDictionary{TKey,TValue}"/> plus
/// three FIFO queues (hot, warm, cold) under the TU-Q policy of BitFaster.Caching's
/// <c>ConcurrentLru</c>. Written here because BitFaster.Caching is not in this project's package
/// source; its published design is followed. A hit is one dictionary lookup and at most one flag
/// write: no lock, no allocation, no queue movement. Items move between queues only on insert.
/// </summary>
/// <remarks>
/// New items enter hot. When hot overflows, its oldest item goes to warm if it was read since it
/// arrived, else to cold. Warm overflow sends unread items to cold (read ones get another round).
/// Cold overflow evicts unread items and rescues read ones to warm. So a scan of one-off keys
/// passes through hot and cold without displacing the warm working set.
/// Counts are kept outside the queues because <see cref="ConcurrentQueue{T}.Count"/> is not cheap.
/// Capacity is respected exactly when one thread writes; under concurrent inserts it can be exceeded
/// briefly by about the number of writing threads.
/// </remarks>
/// <typeparam name="TKey">The key type.</typeparam>
/// <typeparam name="TValue">The value type; values should be immutable, since every reader gets the same instance.</typeparam>
internal sealed class HandWrittenLru<TKey, TValue>
    where TKey : notnull
{
    private readonly ConcurrentDictionary<TKey, HandWrittenLruItem<TKey, TValue>> _dictionary;
    private readonly ConcurrentQueue<HandWrittenLruItem<TKey, TValue>> _hot = new();
    private readonly ConcurrentQueue<HandWrittenLruItem<TKey, TValue>> _warm = new();
    private readonly ConcurrentQueue<HandWrittenLruItem<TKey, TValue>> _cold = new();
    private readonly int _hotCapacity;
    private readonly int _warmCapacity;
    private readonly int _coldCapacity;
    private readonly HandWrittenStripedCounter _hits = new();
    private readonly HandWrittenStripedCounter _misses = new();
    private readonly HandWrittenStripedCounter _evictions = new();
    private int _hotCount;
    private int _warmCount;
    private int _coldCount;

    // Until warm first fills, hot overflow goes to warm whether read or not; otherwise a cache
    // that is only written would live in hot + cold (20% of its capacity) until keys are read twice.
    private volatile bool _isWarm;

    /// <summary>Creates a cache holding at most <paramref name="capacity"/> items.</summary>
    /// <param name="capacity">The most items kept; at least 3 (one per queue).</param>
    /// <param name="comparer">Key comparer; the default if null.</param>
    public HandWrittenLru(int capacity, IEqualityComparer<TKey>? comparer = null)
    {
        if (capacity < 3)
        {
            throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "Capacity must be at least 3.");
        }

        Capacity = capacity;

        // About 10% hot, 80% warm, 10% cold: BitFaster.Caching's default partition.
        _hotCapacity = Math.Max(1, capacity / 10);
        _coldCapacity = Math.Max(1, capacity / 10);
        _warmCapacity = capacity - _hotCapacity - _coldCapacity;
        _dictionary = new ConcurrentDictionary<TKey, HandWrittenLruItem<TKey, TValue>>(Environment.ProcessorCount, capacity, comparer ?? EqualityComparer<TKey>.Default);
    }

    /// <summary>The most items the cache keeps.</summary>
    public int Capacity { get; }

    /// <summary>The number of items in the cache now.</summary>
    public int Count => _dictionary.Count;

    /// <summary>Lookups that found their key.</summary>
    public long Hits => _hits.Value;

    /// <summary>Lookups that did not.</summary>
    public long Misses => _misses.Value;

    /// <summary>Items removed to make room (not explicit removals).</summary>
    public long Evictions => _evictions.Value;

    /// <summary>Hits divided by lookups (0 before any lookup).</summary>
    public double HitRatio
    {
        get
        {
            var hits = Hits;
            var total = hits + Misses;
            return total == 0 ? 0 : (double)hits / total;
        }
    }

    /// <summary>The keys in the cache now (a snapshot).</summary>
    public IEnumerable<TKey> Keys => _dictionary.Keys;

    /// <summary>Looks a key up. A hit marks the item as read and allocates nothing.</summary>
    /// <param name="key">The key.</param>
    /// <param name="value">The cached value when found.</param>
    /// <returns>True on a hit.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryGet(TKey key, [MaybeNullWhen(false)] out TValue value)
    {
        if (_dictionary.TryGetValue(key, out var item))
        {
            // Read before write: a flag already set costs no cache-line invalidation on other cores.
            if (!item.WasAccessed)
            {
                item.WasAccessed = true;
            }

            _hits.Increment();
            value = item.Value;
            return true;
        }

        _misses.Increment();
        value = default;
        return false;
    }

    /// <summary>Adds the value, or replaces the cached value of the key.</summary>
    /// <param name="key">The key.</param>
    /// <param name="value">The value.</param>
    public void AddOrUpdate(TKey key, TValue value)
    {
        var item = new HandWrittenLruItem<TKey, TValue>(key, value);
        while (true)
        {
            if (_dictionary.TryGetValue(key, out var existing))
            {
                if (_dictionary.TryUpdate(key, item, existing))
                {
                    existing.WasRemoved = true;
                    break;
                }
            }
            else if (_dictionary.TryAdd(key, item))
            {
                break;
            }
        }

        _hot.Enqueue(item);
        Interlocked.Increment(ref _hotCount);
        Cycle();
    }

    /// <summary>Removes a key.</summary>
    /// <param name="key">The key.</param>
    /// <returns>True if it was cached.</returns>
    public bool TryRemove(TKey key)
    {
        if (_dictionary.TryRemove(key, out var item))
        {
            item.WasRemoved = true;
            return true;
        }

        return false;
    }

    /// <summary>Removes a key only while it still maps to this very value (reference equality for classes).</summary>
    /// <param name="key">The key.</param>
    /// <param name="value">The value expected.</param>
    /// <returns>True if removed.</returns>
    public bool TryRemove(TKey key, TValue value)
    {
        if (_dictionary.TryGetValue(key, out var item)
            && EqualityComparer<TValue>.Default.Equals(item.Value, value)
            && _dictionary.TryRemove(new KeyValuePair<TKey, HandWrittenLruItem<TKey, TValue>>(key, item)))
        {
            item.WasRemoved = true;
            return true;
        }

        return false;
    }

    /// <summary>
    /// Removes everything. The queues are emptied, their counts reset and the warm-up phase starts
    /// again, so the cache refills warm as before (a BitFaster.Caching issue: a Clear that kept the
    /// warm-up state left warm unused).
    /// </summary>
    public void Clear()
    {
        foreach (var key in _dictionary.Keys)
        {
            TryRemove(key);
        }

        Drain(_hot, ref _hotCount);
        Drain(_warm, ref _warmCount);
        Drain(_cold, ref _coldCount);
        _isWarm = false;
    }

    /// <summary>Resets the hit, miss and eviction counts.</summary>
    public void ResetCounters()
    {
        _hits.Reset();
        _misses.Reset();
        _evictions.Reset();
    }

    /// <summary>Queue sizes, for tests and diagnostics: (hot, warm, cold) including removed items not yet dequeued.</summary>
    internal (int Hot, int Warm, int Cold) QueueCounts => (Volatile.Read(ref _hotCount), Volatile.Read(ref _warmCount), Volatile.Read(ref _coldCount));

    internal (int Hot, int Warm, int Cold) QueueCapacities => (_hotCapacity, _warmCapacity, _coldCapacity);

    /// <summary>Checks internal invariants once writers are quiet: every live item is queued once, counts match queues.</summary>
    internal void Validate()
    {
        var queued = _hot.Concat(_warm).Concat(_cold).Where(i => !i.WasRemoved).ToList();
        if (queued.Count != _dictionary.Count || queued.Select(i => i.Key).Distinct().Count() != queued.Count)
        {
            throw new InvalidOperationException($"{queued.Count} live queued items for {_dictionary.Count} dictionary entries.");
        }

        foreach (var item in queued)
        {
            if (!_dictionary.TryGetValue(item.Key, out var live) || !ReferenceEquals(live, item))
            {
                throw new InvalidOperationException($"Queued item {item.Key} is not the dictionary's item.");
            }
        }

        if (_hot.Count != _hotCount || _warm.Count != _warmCount || _cold.Count != _coldCount)
        {
            throw new InvalidOperationException("Queue counts drifted from the queues.");
        }

        if (_dictionary.Count > Capacity)
        {
            throw new InvalidOperationException($"{_dictionary.Count} items exceed the capacity of {Capacity}.");
        }
    }

    private static void Drain(ConcurrentQueue<HandWrittenLruItem<TKey, TValue>> queue, ref int count)
    {
        while (queue.TryDequeue(out var item))
        {
            item.WasRemoved = true;
            Interlocked.Decrement(ref count);
        }
    }

    /// <summary>
    /// Moves items until every queue is within its capacity. Each step either moves an item toward
    /// eviction or clears a read flag that a hit set, so the work is paid for by inserts and hits.
    /// </summary>
    private void Cycle()
    {
        // A step that finds its queue empty ends the cycle: counts briefly lag the queues while
        // another thread is between its dequeue and its decrement, and retrying then only spins.
        var budget = (4 * Capacity) + 16;
        while (budget-- > 0)
        {
            var moved = Volatile.Read(ref _hotCount) > _hotCapacity ? CycleHot()
                : Volatile.Read(ref _warmCount) > _warmCapacity ? CycleWarm()
                : Volatile.Read(ref _coldCount) > _coldCapacity && CycleCold();
            if (!moved)
            {
                return;
            }
        }
    }

    private bool CycleHot()
    {
        if (!_hot.TryDequeue(out var item))
        {
            return false;
        }

        Interlocked.Decrement(ref _hotCount);
        if (item.WasRemoved)
        {
            return true;
        }

        if (!_isWarm)
        {
            if (Volatile.Read(ref _warmCount) < _warmCapacity)
            {
                item.WasAccessed = false;
                Enqueue(_warm, ref _warmCount, item);
                return true;
            }

            _isWarm = true;
        }

        WarmIfReadElseCold(item);
        return true;
    }

    private bool CycleWarm()
    {
        if (!_warm.TryDequeue(out var item))
        {
            return false;
        }

        Interlocked.Decrement(ref _warmCount);
        if (!item.WasRemoved)
        {
            WarmIfReadElseCold(item);
        }

        return true;
    }

    /// <summary>An item read since it last moved goes (back) to warm with its flag cleared; an unread one goes to cold.</summary>
    private void WarmIfReadElseCold(HandWrittenLruItem<TKey, TValue> item)
    {
        if (item.WasAccessed)
        {
            item.WasAccessed = false;
            Enqueue(_warm, ref _warmCount, item);
        }
        else
        {
            Enqueue(_cold, ref _coldCount, item);
        }
    }

    private bool CycleCold()
    {
        if (!_cold.TryDequeue(out var item))
        {
            return false;
        }

        Interlocked.Decrement(ref _coldCount);
        if (item.WasRemoved)
        {
            return true;
        }

        if (item.WasAccessed)
        {
            item.WasAccessed = false;
            Enqueue(_warm, ref _warmCount, item);
        }
        else if (_dictionary.TryRemove(new KeyValuePair<TKey, HandWrittenLruItem<TKey, TValue>>(item.Key, item)))
        {
            item.WasRemoved = true;
            _evictions.Increment();
        }

        return true;
    }

    private static void Enqueue(ConcurrentQueue<HandWrittenLruItem<TKey, TValue>> queue, ref int count, HandWrittenLruItem<TKey, TValue> item)
    {
        queue.Enqueue(item);
        Interlocked.Increment(ref count);
    }
}
