using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.Caching.Memory;

namespace DocStore.Bench.Systems.Peers;

/// <summary>
/// Peer: EF Core 10 on SQLite with <see cref="MemoryCache"/> in front of gets, as an application commonly builds it:
/// a pooled context factory, no-tracking reads, a get cached by id (as many entries as the store's L1), an update
/// that removes its entry. WAL with <c>synchronous = NORMAL</c> (the store's durability). No full-text index, history,
/// audit or validation, and a listing is not cached.
/// </summary>
public sealed class EfCoreCacheSystem : IBenchSystem
{
    private readonly PooledDbContextFactory<PeerDbContext> _contexts;
    private readonly MemoryCache _cache;

    public EfCoreCacheSystem(Workloads.BenchDatabase database, int cacheEntries)
    {
        var path = PeerFiles.Get(database, "efcore", ".db", Fill);
        _contexts = new PooledDbContextFactory<PeerDbContext>(Options(path));
        _cache = new MemoryCache(new MemoryCacheOptions { SizeLimit = cacheEntries });
    }

    public string Name => "efcore-memorycache";

    public bool Supports(string workload) => PeerRow.Supports(workload);

    public Document? Get(long id)
    {
        if (_cache.TryGetValue(id, out Document? cached))
        {
            return cached;
        }

        using var db = _contexts.CreateDbContext();
        var document = db.Documents.AsNoTracking().FirstOrDefault(d => d.Id == id)?.ToDocument();
        if (document is not null)
        {
            _cache.Set(id, document, new MemoryCacheEntryOptions { Size = 1 });
        }

        return document;
    }

    public int List(ListQuery query)
    {
        using var db = _contexts.CreateDbContext();
        var ofType = db.Documents.AsNoTracking().Where(d => d.Type == query.Type);
        var page = ofType.OrderByDescending(d => d.UpdatedAt).ThenByDescending(d => d.Id)
            .Skip((query.Page - 1) * query.PageSize).Take(query.PageSize).ToList().Select(r => r.ToDocument()).ToList();
        ofType.Count();
        return page.Count;
    }

    public long Create(NewDocument document)
    {
        using var db = _contexts.CreateDbContext();
        var row = PeerRow.New(document);
        db.Documents.Add(row);
        db.SaveChanges();
        return row.Id;
    }

    public void CreateMany(IReadOnlyList<NewDocument> documents)
    {
        using var db = _contexts.CreateDbContext();
        db.Documents.AddRange(documents.Select(PeerRow.New));
        db.SaveChanges();
    }

    public void Update(long id, DocumentUpdate update)
    {
        using var db = _contexts.CreateDbContext();
        var row = db.Documents.FirstOrDefault(d => d.Id == id);
        if (row is null)
        {
            return;
        }

        row.Apply(update);
        db.SaveChanges();
        _cache.Remove(id);
    }

    public void ClearCache() => _cache.Clear();

    public ValueTask DisposeAsync()
    {
        _cache.Dispose();
        return ValueTask.CompletedTask;
    }

    private static DbContextOptions<PeerDbContext> Options(string path) => new DbContextOptionsBuilder<PeerDbContext>()
        .UseSqlite($"Data Source={path}")
        .AddInterceptors(new Durability())
        .Options;

    private static void Fill(string path, IReadOnlyList<Document> documents)
    {
        using var db = new PeerDbContext(Options(path));
        db.Database.EnsureCreated();
        db.Database.ExecuteSqlRaw("PRAGMA journal_mode = WAL");
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        using var transaction = db.Database.BeginTransaction();
        foreach (var chunk in documents.Chunk(1_000))
        {
            db.Documents.AddRange(chunk.Select(PeerRow.From));
            db.SaveChanges();
            db.ChangeTracker.Clear();
        }

        transaction.Commit();
    }

    /// <summary>Sets each connection EF Core opens to the store's durability (the pragma is per connection).</summary>
    private sealed class Durability : DbConnectionInterceptor
    {
        public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
        {
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA synchronous = NORMAL";
            command.ExecuteNonQuery();
        }
    }
}
