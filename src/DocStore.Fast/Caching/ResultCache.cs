using BitFaster.Caching.Lru;
using DocStore.Sql;

namespace DocStore.Fast.Caching;

/// <summary>
/// Answers repeated identical list and search queries from memory. Every result is keyed with the
/// generation it was computed in; a write moves the generation on twice (before its COMMIT and after it)
/// and, while it is in flight, no result may be stored, so a result computed from an older snapshot can
/// never be served after the write. Results ordered by access count also carry the access generation,
/// which moves the same way around each write of access counts.
/// </summary>
internal sealed class ResultCache
{
    // Each state packs a generation (high bits) with the number of changes in flight (low bits).
    private const int InFlightBits = 20;
    private const long InFlightMask = (1L << InFlightBits) - 1;
    private const long Step = 1L << InFlightBits;

    private readonly ConcurrentLru<ResultKey, object>? _results;
    private long _state;
    private long _accessState;

    public ResultCache(int capacity)
    {
        if (capacity > 0)
        {
            _results = new ConcurrentLru<ResultKey, object>(Environment.ProcessorCount, Math.Max(3, capacity), EqualityComparer<ResultKey>.Default);
        }
    }

    public long Hits => _results?.Metrics.Value?.Hits ?? 0;

    /// <summary>Returns the cached result of the query, or runs it (and caches it unless a change was in flight).</summary>
    public async ValueTask<T> GetOrRunAsync<T>(QueryText sql, bool dependsOnAccessCounts, string[] extras, Func<ValueTask<T>> run)
        where T : class
    {
        if (_results is null)
        {
            return await run().ConfigureAwait(false);
        }

        // Read before the query: a change committing meanwhile moves the generation, so this result lands
        // under a key no later reader asks for, or (while in flight) is not stored at all.
        var state = Volatile.Read(ref _state);
        var accessState = dependsOnAccessCounts ? Volatile.Read(ref _accessState) : 0;
        var key = new ResultKey(state >> InFlightBits, accessState >> InFlightBits, sql.PageSql, sql.Arguments, extras);
        if (_results.TryGet(key, out var hit) && hit is T result)
        {
            return result;
        }

        result = await run().ConfigureAwait(false);
        if ((state & InFlightMask) == 0 && (accessState & InFlightMask) == 0)
        {
            _results.AddOrUpdate(key, result);
        }

        return result;
    }

    /// <summary>Before a write's COMMIT.</summary>
    public void BeginChange() => Interlocked.Add(ref _state, Step + 1);

    /// <summary>After the write's COMMIT or rollback.</summary>
    public void EndChange() => Interlocked.Add(ref _state, Step - 1);

    /// <summary>Before access counts are written.</summary>
    public void BeginAccessChange() => Interlocked.Add(ref _accessState, Step + 1);

    /// <summary>After access counts were written (or failed to be).</summary>
    public void EndAccessChange() => Interlocked.Add(ref _accessState, Step - 1);

    /// <summary>Forgets every result (a change nobody announced, or <c>ClearCache</c>).</summary>
    public void Invalidate()
    {
        Interlocked.Add(ref _state, Step);
        _results?.Clear();
    }
}
