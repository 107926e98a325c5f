namespace DocStore.Fast.Caching;

/// <summary>
/// One L1 entry: an immutable document and the reads of it not yet written to the file. A hit counts
/// itself here with one interlocked increment on the entry it already holds: no shared ring, no
/// allocation, nothing dropped. Access tracking takes the count in the background and when the entry
/// leaves the cache (<see cref="Retire"/>).
/// </summary>
internal sealed class CachedDocument
{
    // A retired entry's count is pushed far below zero, so a reader that still held the entry and counts
    // after retirement sees a negative result and records its read elsewhere: no read is lost.
    private const long Retired = long.MinValue / 2;

    private long _reads;

    public CachedDocument(Document document) => Document = document;

    public Document Document { get; }

    /// <summary>Counts one read; false when the entry has left the cache (the caller must record the read elsewhere).</summary>
    public bool TryCountRead() => Interlocked.Increment(ref _reads) > 0;

    /// <summary>Takes the reads counted so far, leaving zero (nothing from a retired entry).</summary>
    public long TakeReads()
    {
        while (true)
        {
            var reads = Volatile.Read(ref _reads);
            if (reads <= 0)
            {
                return 0;
            }

            if (Interlocked.CompareExchange(ref _reads, 0, reads) == reads)
            {
                return reads;
            }
        }
    }

    /// <summary>The reads counted so far, without taking them.</summary>
    public long PeekReads() => Math.Max(0, Volatile.Read(ref _reads));

    /// <summary>Marks the entry as out of the cache and returns the reads it still held.</summary>
    public long Retire()
    {
        var reads = Interlocked.Exchange(ref _reads, Retired);
        return reads > 0 ? reads : 0;
    }
}
