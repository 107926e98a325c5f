namespace DocStore.Bench.Micro.Replaced;

/// <summary>
/// One cache entry. A hit only sets <see cref="WasAccessed"/>; the queues read and clear it when
/// they cycle, so hits never move items or take locks (BitFaster.Caching's TU-Q design).
/// </summary>
/// <typeparam name="TKey">The key type.</typeparam>
/// <typeparam name="TValue">The value type.</typeparam>
internal sealed class HandWrittenLruItem<TKey, TValue>
{
    private volatile bool _wasAccessed;
    private volatile bool _wasRemoved;

    public HandWrittenLruItem(TKey key, TValue value)
    {
        Key = key;
        Value = value;
    }

    public TKey Key { get; }

    public TValue Value { get; }

    public bool WasAccessed
    {
        get => _wasAccessed;
        set => _wasAccessed = value;
    }

    /// <summary>Set when the item left the dictionary; the queue that still holds it drops it when it comes up.</summary>
    public bool WasRemoved
    {
        get => _wasRemoved;
        set => _wasRemoved = value;
    }
}
