using System.Runtime.CompilerServices;
using BitFaster.Caching;
using BitFaster.Caching.Lru;

namespace DocStore.Fast.Caching;

/// <summary>
/// The L1 cache's telemetry policy: counts only evictions (hits and misses are counted by the store's own per-thread
/// counter, which costs a hit far less than BitFaster's shared counters). A struct, so the cache's calls to it are inlined away.
/// </summary>
internal readonly struct EvictionListener(DocumentCache cache) : ITelemetryPolicy<long, Document>
{
    public double HitRatio => 0;

    public long Total => 0;

    public long Hits => 0;

    public long Misses => 0;

    public long Evicted => 0;

    public event EventHandler<ItemRemovedEventArgs<long, Document>> ItemRemoved
    {
        add => throw new NotSupportedException();
        remove => throw new NotSupportedException();
    }

    public event EventHandler<ItemUpdatedEventArgs<long, Document>> ItemUpdated
    {
        add => throw new NotSupportedException();
        remove => throw new NotSupportedException();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void IncrementHit()
    {
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void IncrementMiss()
    {
    }

    public void OnItemRemoved(long key, Document value, ItemRemovedReason reason)
    {
        if (reason == ItemRemovedReason.Evicted)
        {
            cache.Evicted();
        }
    }

    public void SetEventSource(object source)
    {
    }
}
