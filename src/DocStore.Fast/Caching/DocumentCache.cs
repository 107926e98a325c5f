using System.Runtime.CompilerServices;
using BitFaster.Caching.Lru;
using DocStore.Fast.Tracking;

namespace DocStore.Fast.Caching;

/// <summary>
/// L1: immutable documents by id (and ids by UUID) in BitFaster.Caching's concurrent LRU with the policy of its
/// <c>FastConcurrentLru</c> (TU-Q without its counters: hits and misses are counted per thread by the
/// <see cref="AccessCounter"/>, which costs a hit far less) and an <see cref="EvictionListener"/> that counts evictions,
/// guarded so the cache is never older than what the database has shown anyone. Every document read from the database
/// is offered: an admission filter (TinyLFU's, on BitFaster's frequency sketch) was measured against taking every
/// document and lost on the zipfian mix it was for (PERFORMANCE.md, "The hit path's mechanisms"), so it went.
/// </summary>
/// <remarks>
/// <para>Each id belongs to one of <see cref="Stripes"/> stripes with an epoch and a count of writes in
/// flight. A write calls <see cref="BeginChange"/> inside its transaction before COMMIT (epoch bumped,
/// write counted, entry removed) and <see cref="EndChange"/> after it (epoch bumped again, write
/// uncounted). A reader notes the epoch before it reads the database and may cache what it read only if,
/// under the stripe's lock, the epoch is unchanged and no write is in flight. So from just before COMMIT
/// until after it, nothing older can enter or stay in the cache: a read that saw the new row from SQLite
/// can never be followed by an older one from L1. Hits take no lock.</para>
/// <para>Each hit is counted by the <see cref="AccessCounter"/>, in the reading thread's own table.</para>
/// <para>A document offered is first held in its stripe's short pending list, under the same lock and removed by the same
/// changes as a cached entry, and served from there like one; the lists go into the cache together, every
/// <c>_batch</c> documents or at the first hit on one. Why: the cache allocates its entry (BitFaster's item and the
/// dictionary's node) when a document goes in, so one at a time each entry sits right after the few KB of the
/// document just read, and a hot set's entries end up spread over far more memory than the entries themselves take,
/// which a hit then waits on; put in together, they sit side by side (measured: a cached hit went from 2.2-2.4 times a
/// dictionary lookup to 1.8-2.1 times; PERFORMANCE.md).</para>
/// </remarks>
internal sealed class DocumentCache
{
    /// <summary>How many epoch stripes ids are spread over.</summary>
    public const int Stripes = 64;

    private readonly ConcurrentLruCore<long, Document, LruItem<long, Document>, LruPolicy<long, Document>, EvictionListener> _documents;
    private readonly int _capacity;
    private FastConcurrentLru<Guid, long>? _ids;
    private readonly AccessCounter _counter;
    private long _evictions;
    private readonly long[] _epochs = new long[Stripes];
    // Offered documents not in the cache yet, per stripe (guarded by its lock), and how many over all stripes.
    private readonly List<Document>?[] _pending = new List<Document>?[Stripes];
    private readonly int _batch;
    private int _pendingCount;
    private readonly int[] _writesInFlight = new int[Stripes];
    private readonly Lock[] _locks = new Lock[Stripes];

    public DocumentCache(int capacity, AccessCounter counter)
    {
        // ConcurrentLru needs room for one item in each of its hot, warm and cold queues.
        capacity = Math.Max(3, capacity);
        _documents = new(Environment.ProcessorCount, new FavorWarmPartition(capacity), EqualityComparer<long>.Default, default, new EvictionListener(this));
        _capacity = capacity;
        // A small cache takes each document at once, as it is no better off waiting; a large one at most 64 at a time,
        // so it never holds more than 1/16 of its capacity beyond it.
        _batch = Math.Clamp(capacity / 16, 1, 64);
        _counter = counter;
        for (var i = 0; i < Stripes; i++)
        {
            _locks[i] = new Lock();
        }
    }

    public long Hits => _counter.Hits;

    public long Misses => _counter.Misses;

    /// <summary>Documents that left to make room (as the cache reports them, see <see cref="EvictionListener"/>).</summary>
    public long Evictions => Interlocked.Read(ref _evictions);

    /// <summary>Documents held: in the cache, and offered but not put in it yet.</summary>
    public int Count => _documents.Count + Volatile.Read(ref _pendingCount);

    /// <summary>Documents offered and not put in the cache yet (served all the same).</summary>
    public int Pending => Volatile.Read(ref _pendingCount);

    /// <summary>A hit counts one read (when tracking) and allocates nothing.</summary>
    public bool TryGet(long id, out Document document)
    {
        // The count's bucket is read before the lookup so that the two memory reads overlap.
        var table = _counter.Table();
        var bucket = ThreadReadTable.BucketOf(id);
        var match = table.Match(id, bucket);
        if (_documents.TryGet(id, out document!) || TryGetPending(id, out document))
        {
            _counter.RecordHit(table, id, bucket, match);
            return true;
        }

        AccessCounter.RecordMiss(table);
        return false;
    }

    /// <summary>Looks up without counting a read (cache warm-up).</summary>
    public bool TryPeek(long id, out Document document) => _documents.TryGet(id, out document!) || TryGetPending(id, out document);

    /// <summary>Looks up by UUID through the id map; counts like <see cref="TryGet"/>.</summary>
    public bool TryGetByUuid(Guid uuid, out Document document)
    {
        if (Volatile.Read(ref _ids) is { } ids && ids.TryGet(uuid, out var id) && TryGet(id, out document) && document.Uuid == uuid)
        {
            return true;
        }

        document = null!;
        return false;
    }

    /// <summary>The epoch of <paramref name="id"/>'s stripe, to note before reading the database.</summary>
    public long Epoch(long id) => Volatile.Read(ref _epochs[Stripe(id)]);

    /// <summary>Every stripe's epoch, for a read of several documents.</summary>
    public long[] Epochs()
    {
        var epochs = new long[Stripes];
        for (var i = 0; i < Stripes; i++)
        {
            epochs[i] = Volatile.Read(ref _epochs[i]);
        }

        return epochs;
    }

    public static int Stripe(long id) => (int)((ulong)id % Stripes);

    /// <summary>
    /// Caches a document read from the database, unless its stripe changed since <paramref name="epoch"/> or a write to
    /// it is in flight.
    /// </summary>
    public void Offer(Document document, long epoch)
    {
        var stripe = Stripe(document.Id);
        bool full;
        lock (_locks[stripe])
        {
            if (_epochs[stripe] != epoch || _writesInFlight[stripe] != 0 || _documents.TryUpdate(document.Id, document))
            {
                return;
            }

            var pending = _pending[stripe] ??= new List<Document>(4);
            var at = IndexOf(pending, document.Id);
            if (at >= 0)
            {
                pending[at] = document;
                return;
            }

            pending.Add(document);
            // Counted under the lock, with the entry, so a lookup that finds the count at 0 finds no entry either.
            full = Interlocked.Increment(ref _pendingCount) >= _batch;
        }

        if (full)
        {
            AdmitPending();
        }
    }

    /// <summary>Puts every pending document into the cache, one after another (see the remarks).</summary>
    public void AdmitPending()
    {
        for (var stripe = 0; stripe < Stripes; stripe++)
        {
            // Read without the lock: a list seen empty that just got one is found by the next admission, or by a lookup.
            if (Volatile.Read(ref _pending[stripe]) is not { Count: > 0 })
            {
                continue;
            }

            lock (_locks[stripe])
            {
                var pending = _pending[stripe]!;
                foreach (var document in pending)
                {
                    _documents.AddOrUpdate(document.Id, document);
                }

                Interlocked.Add(ref _pendingCount, -pending.Count);
                pending.Clear();
            }
        }
    }

    /// <summary>Remembers which id a UUID names (read by UUID); a UUID always names the same id, so the map needs no guard.</summary>
    public void MapUuid(Document document) => Ids().AddOrUpdate(document.Uuid, document.Id);

    /// <summary>Before a write's COMMIT: no entry of these documents may be served or filled until <see cref="EndChange"/>.</summary>
    public void BeginChange(IReadOnlyList<DocumentChange> changes)
    {
        foreach (var change in changes)
        {
            var stripe = Stripe(change.Id);
            lock (_locks[stripe])
            {
                _epochs[stripe]++;
                _writesInFlight[stripe]++;
                Remove(change.Id);
            }
        }
    }

    /// <summary>After the COMMIT (or rollback): reads that noted an epoch before this may not fill the cache.</summary>
    public void EndChange(IReadOnlyList<DocumentChange> changes)
    {
        foreach (var change in changes)
        {
            var stripe = Stripe(change.Id);
            lock (_locks[stripe])
            {
                _epochs[stripe]++;
                _writesInFlight[stripe]--;
            }
        }
    }

    /// <summary>Drops documents changed by someone else (another instance on the file).</summary>
    public void Invalidate(IEnumerable<long> ids)
    {
        foreach (var id in ids)
        {
            var stripe = Stripe(id);
            lock (_locks[stripe])
            {
                _epochs[stripe]++;
                Remove(id);
            }
        }
    }

    /// <summary>Empties the cache; reads in flight cannot put what they read back.</summary>
    public void Clear()
    {
        for (var stripe = 0; stripe < Stripes; stripe++)
        {
            lock (_locks[stripe])
            {
                _epochs[stripe]++;
                if (_pending[stripe] is { } pending)
                {
                    Interlocked.Add(ref _pendingCount, -pending.Count);
                    pending.Clear();
                }
            }
        }

        _documents.Clear();
        Volatile.Read(ref _ids)?.Clear();
    }

    /// <summary>The UUID map, made by the first read by UUID: a store read only by id never pays for it at open.</summary>
    private FastConcurrentLru<Guid, long> Ids()
    {
        if (Volatile.Read(ref _ids) is { } ids)
        {
            return ids;
        }

        Interlocked.CompareExchange(ref _ids, new FastConcurrentLru<Guid, long>(Environment.ProcessorCount, _capacity, EqualityComparer<Guid>.Default), null);
        return _ids;
    }

    /// <summary>Called by <see cref="EvictionListener"/> when the cache evicted a document to make room.</summary>
    internal void Evicted() => Interlocked.Increment(ref _evictions);

    /// <summary>Drops <paramref name="id"/>'s entry, cached or pending (under its stripe's lock).</summary>
    private void Remove(long id)
    {
        if (!_documents.TryRemove(id) && _pending[Stripe(id)] is { } pending && IndexOf(pending, id) is var at and >= 0)
        {
            pending.RemoveAt(at);
            Interlocked.Decrement(ref _pendingCount);
        }
    }

    /// <summary>After a lookup missed: if <paramref name="id"/> is pending, puts the pending documents in the cache and looks again.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private bool TryGetPending(long id, out Document document)
    {
        document = null!;
        if (Volatile.Read(ref _pendingCount) == 0)
        {
            return false;
        }

        var stripe = Stripe(id);
        lock (_locks[stripe])
        {
            if (_pending[stripe] is not { } pending || IndexOf(pending, id) < 0)
            {
                return false;
            }
        }

        AdmitPending();
        return _documents.TryGet(id, out document!);
    }

    // A loop rather than FindIndex, whose lambda would capture the id and allocate on every miss.
    private static int IndexOf(List<Document> documents, long id)
    {
        for (var i = 0; i < documents.Count; i++)
        {
            if (documents[i].Id == id)
            {
                return i;
            }
        }

        return -1;
    }
}
