using System.Collections.Concurrent;
using BitFaster.Caching.Lru;

namespace DocStore.Bench.Systems;

/// <summary>
/// The floor under the store's L1: BitFaster.Caching's <c>FastConcurrentLru</c>, the cache L1 is built on, with the
/// store's default capacity, filled on a miss from memory. No epoch guard, no coherence check, no read counting:
/// its cached get against <see cref="DictionarySystem"/>'s is what the library itself costs, and the store's against
/// it what the store adds. With <c>fresh</c> (<c>bitfaster-lru-fresh</c>) a miss caches a new copy of the document, its
/// strings allocated just before the cache's entry, as the store cached each document it had just read from SQLite
/// before L1 took documents in batches; the floor keeps that layout (each entry beside a few KB of its document), to
/// show what it costs.
/// </summary>
public sealed class BitFasterLruSystem : IBenchSystem
{
    private readonly ConcurrentDictionary<long, Document> _source;
    private readonly FastConcurrentLru<long, Document> _cache;
    private readonly bool _fresh;

    /// <param name="documents">Every document, in memory (the "database" a miss reads).</param>
    /// <param name="capacity">The store's L1 capacity.</param>
    /// <param name="fresh">Whether a miss caches a new copy of the document rather than the preloaded one.</param>
    public BitFasterLruSystem(IEnumerable<Document> documents, int capacity, bool fresh = false)
    {
        _fresh = fresh;
        _source = new ConcurrentDictionary<long, Document>(documents.Select(d => KeyValuePair.Create(d.Id, d)));
        // The store's DocumentCache makes its cache the same way.
        _cache = new FastConcurrentLru<long, Document>(Environment.ProcessorCount, capacity, EqualityComparer<long>.Default);
    }

    public string Name => _fresh ? "bitfaster-lru-fresh" : "bitfaster-lru";

    public bool Supports(string workload) => workload is "get-cached";

    public Document? Get(long id)
    {
        if (_cache.TryGet(id, out var document))
        {
            return document;
        }

        if (!_source.TryGetValue(id, out document))
        {
            return null;
        }

        if (_fresh)
        {
            document = Copy(document);
        }

        _cache.AddOrUpdate(id, document);
        return document;
    }

    public void ClearCache() => _cache.Clear();

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private static Document Copy(Document d) => new()
    {
        Id = d.Id,
        Uuid = d.Uuid,
        Title = new string(d.Title),
        Type = new string(d.Type),
        Status = d.Status,
        Content = new string(d.Content),
        Format = new string(d.Format),
        Language = d.Language is null ? null : new string(d.Language),
        SourcePath = d.SourcePath is null ? null : new string(d.SourcePath),
        Tags = [.. d.Tags.Select(t => new string(t))],
        Metadata = new string(d.Metadata),
        ContentHash = new string(d.ContentHash),
        SizeBytes = d.SizeBytes,
        Version = d.Version,
        CreatedAt = d.CreatedAt,
        UpdatedAt = d.UpdatedAt,
        LastAccessedAt = d.LastAccessedAt,
        AccessCount = d.AccessCount,
    };
}
