using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using DocStore.Internal;
using Microsoft.Extensions.Logging;

namespace DocStore.Fast.Tracking;

/// <summary>
/// Exact access counts that never make a read write or wait, and the cache's hit and miss counts. Every
/// read (a cache hit, a miss, a fallback read through EF Core) is counted in its thread's own
/// <see cref="ThreadReadTable"/>; the rare read a table has no room for goes to a small aggregate under a
/// short lock. (BitFaster.Caching's own counters cost an interlocked add per hit, and made a hit about twice
/// as slow; these are plain increments on lines only their thread writes.) A background task harvests the tables
/// and writes the counts through the store's single writer once per interval, and on dispose; a failed
/// write keeps its counts for the next one. Nothing is dropped. <see cref="Document.LastAccessedAt"/> is
/// the time of the write that recorded the read, so it is at most one interval late.
/// </summary>
internal sealed class AccessCounter : IAsyncDisposable
{
    private readonly Lock _lock = new();
    private readonly bool _trackReads;
    private readonly Func<IReadOnlyList<AccessUpdate>, long, Task> _apply;
    private readonly TimeSpan _interval;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _flushLock = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    // The reading thread's table, found through two [ThreadStatic] fields (a ThreadLocal<T> lookup cost as
    // much as the rest of a cache hit); a thread reading from several stores keeps the others' tables in a map.
    [ThreadStatic]
    private static AccessCounter? t_owner;

    [ThreadStatic]
    private static ThreadReadTable? t_table;

    [ThreadStatic]
    private static Dictionary<AccessCounter, ThreadReadTable>? t_others;

    private readonly List<ThreadReadTable> _allTables = [];
    private Dictionary<long, long> _pending = [];
    private Task? _loop;
    private long _retiredHits;
    private long _retiredMisses;
    private long _flushed;
    private long _failedFlushes;
    private int _disposed;

    /// <param name="trackReads">Whether reads per document are counted and written (access tracking); hits and misses are counted always.</param>
    /// <param name="interval">How often counted reads are written.</param>
    /// <param name="apply">Writes counted reads to the file, with the time to record as their last read (UTC ticks).</param>
    /// <param name="logger">Where failed writes are logged.</param>
    public AccessCounter(bool trackReads, TimeSpan interval, Func<IReadOnlyList<AccessUpdate>, long, Task> apply, ILogger logger)
    {
        _trackReads = trackReads;
        _interval = interval;
        _apply = apply;
        _logger = logger;
    }

    /// <summary>Runs around each write of counts (the result cache uses it to drop results ordered by access count).</summary>
    public Action? BeforeWrite { get; set; }

    /// <summary>Runs after each write of counts, whether it succeeded or not.</summary>
    public Action? AfterWrite { get; set; }

    /// <summary>Reads written to the file so far.</summary>
    public long Flushed => Interlocked.Read(ref _flushed);

    /// <summary>Writes of counts that failed (their counts were kept for the next write, and logged).</summary>
    public long FailedFlushes => Interlocked.Read(ref _failedFlushes);

    /// <summary>Reads counted but not yet written (walks every thread's table: for statistics, not for hot paths).</summary>
    public long Pending
    {
        get
        {
            lock (_lock)
            {
                return _pending.Values.Sum() + _allTables.Sum(t => t.Pending());
            }
        }
    }

    /// <summary>Cache hits, over every thread.</summary>
    public long Hits => SumTables(t => Volatile.Read(ref t.Hits)) + Interlocked.Read(ref _retiredHits);

    /// <summary>Cache misses, over every thread.</summary>
    public long Misses => SumTables(t => Volatile.Read(ref t.Misses)) + Interlocked.Read(ref _retiredMisses);

    /// <summary>Starts the background writes (when reads are tracked).</summary>
    public void Start()
    {
        if (_trackReads)
        {
            // Called, not Task.Run: it returns at its first await, and opening a store does not start the thread pool.
            _loop = RunAsync();
        }
    }

    /// <summary>The calling thread's table, for <see cref="RecordHit"/> and <see cref="RecordMiss"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ThreadReadTable Table() => ReferenceEquals(t_owner, this) ? t_table! : TableOfThisThread();

    /// <summary>
    /// A cache hit: counted as a hit and, when tracking, as a read of the document. No lock, no allocation.
    /// <paramref name="bucket"/> and <paramref name="match"/> come from the table's <see cref="ThreadReadTable.Match"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void RecordHit(ThreadReadTable table, long documentId, int bucket, uint match)
    {
        table.Hits++;
        if (_trackReads && !table.TryRecord(documentId, bucket, match))
        {
            Add(documentId, 1);
        }
    }

    /// <summary>A cache miss (the read itself is recorded with <see cref="Record"/> once it found the document).</summary>
    public static void RecordMiss(ThreadReadTable table) => table.Misses++;

    /// <summary>Records one read that did not come from the cache: an increment in this thread's own table, no lock, no allocation.</summary>
    public void Record(long documentId)
    {
        if (!_trackReads)
        {
            return;
        }

        var table = ReferenceEquals(t_owner, this) ? t_table! : TableOfThisThread();
        if (!table.TryRecord(documentId))
        {
            // More documents read on this thread since the last write of counts than its table holds.
            Add(documentId, 1);
        }
    }

    /// <summary>Adds reads of a document to the shared aggregate.</summary>
    public void Add(long documentId, long reads)
    {
        if (reads <= 0)
        {
            return;
        }

        lock (_lock)
        {
            CollectionsMarshal.GetValueRefOrAddDefault(_pending, documentId, out _) += reads;
        }
    }

    /// <summary>Writes every read counted so far.</summary>
    /// <returns>How many reads were written.</returns>
    public async Task<long> FlushAsync()
    {
        await _flushLock.WaitAsync().ConfigureAwait(false);
        try
        {
            return await FlushLockedAsync().ConfigureAwait(false);
        }
        finally
        {
            _flushLock.Release();
        }
    }

    /// <summary>Stops the background task and writes what is pending.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        if (_loop is not null)
        {
            await _loop.ConfigureAwait(false);
        }

        await FlushAsync().ConfigureAwait(false);
        _stop.Dispose();
    }

    /// <summary>The slow path: this thread's first read from this counter, or a read after one from another store.</summary>
    private long SumTables(Func<ThreadReadTable, long> read)
    {
        lock (_lock)
        {
            return _allTables.Sum(read);
        }
    }

    private ThreadReadTable TableOfThisThread()
    {
        if (t_owner is { } previous && t_table is { } previousTable)
        {
            (t_others ??= new Dictionary<AccessCounter, ThreadReadTable>(ReferenceEqualityComparer.Instance))[previous] = previousTable;
        }

        if (t_others is null || !t_others.Remove(this, out var table))
        {
            table = new ThreadReadTable();
            lock (_lock)
            {
                _allTables.Add(table);
            }
        }

        t_owner = this;
        t_table = table;
        return table;
    }

    private async Task<long> FlushLockedAsync()
    {
        Dictionary<long, long> batch;
        lock (_lock)
        {
            batch = _pending;
            _pending = [];
        }

        ThreadReadTable[] tables;
        lock (_lock)
        {
            tables = [.. _allTables];
        }

        foreach (var table in tables)
        {
            var ownerAlive = table.Owner.IsAlive;
            table.Harvest((id, reads) => CollectionsMarshal.GetValueRefOrAddDefault(batch, id, out _) += reads);

            // A finished thread adds nothing after this harvest: its table can go. (Read before harvesting,
            // so the harvest surely follows its last read.)
            if (!ownerAlive)
            {
                lock (_lock)
                {
                    _allTables.Remove(table);
                    Interlocked.Add(ref _retiredHits, table.Hits);
                    Interlocked.Add(ref _retiredMisses, table.Misses);
                }
            }
        }

        if (batch.Count == 0)
        {
            return 0;
        }

        var now = UtcTicks.Now();
        var updates = new List<AccessUpdate>(batch.Count);
        long total = 0;
        foreach (var (id, reads) in batch)
        {
            updates.Add(new AccessUpdate(id, reads));
            total += reads;
        }

        // In id order SQLite walks document_reads' B-tree forward instead of jumping about it (measured
        // about 10 % less time for a write of 57,000 counts on a 100,000-document file).
        updates.Sort(static (a, b) => a.DocumentId.CompareTo(b.DocumentId));

        BeforeWrite?.Invoke();
        try
        {
            await _apply(updates, now).ConfigureAwait(false);
            Interlocked.Add(ref _flushed, total);
            return total;
        }
#pragma warning disable CA1031 // A background write must survive any failure of the store; its counts are kept, and it is logged and counted.
        catch (Exception e)
#pragma warning restore CA1031
        {
            Interlocked.Increment(ref _failedFlushes);
            _logger.LogWarning(e, "Access tracking could not write {Reads} reads of {Documents} documents; they are kept for the next write.", total, updates.Count);
            foreach (var (id, reads) in batch)
            {
                Add(id, reads);
            }

            return 0;
        }
        finally
        {
            AfterWrite?.Invoke();
        }
    }

    private async Task RunAsync()
    {
        using var timer = new PeriodicTimer(_interval);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false))
            {
                await FlushAsync().ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
