using DocStore.Internal;

namespace DocStore;

/// <summary>Writes the fast path's aggregated read counts (<c>access_count</c>, <c>last_accessed_at</c>) through the single writer.</summary>
public sealed partial class LocalStorageSystem
{
    /// <summary>
    /// Adds read counts and moves <c>last_accessed_at</c> forward to <paramref name="readUtcTicks"/>, all in one
    /// statement. Not a content change: no version, no audit row, no change notification.
    /// </summary>
    internal Task ApplyAccessUpdatesAsync(IReadOnlyList<AccessUpdate> updates, long readUtcTicks)
    {
        if (updates.Count == 0)
        {
            return Task.CompletedTask;
        }

        var write = _engine.PrepareAccessCounts(updates, readUtcTicks);
        ThrowIfDisposed();
        return _pipeline.ExclusiveAsync("Writing access counts", write, CancellationToken.None);
    }
}
