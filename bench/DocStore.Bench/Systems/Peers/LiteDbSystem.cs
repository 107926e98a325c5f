using LiteDB;

namespace DocStore.Bench.Systems.Peers;

/// <summary>
/// Peer: LiteDB, the embedded .NET document store, as its documentation sets it up: one shared
/// <see cref="LiteDatabase"/> (thread-safe), one collection of plain rows keyed by id, indexes on type and update time.
/// LiteDB keeps its own page cache; it has no full-text index, history or audit, and no validation here.
/// Calls are serialised: LiteDB 5.0.20 fails now and then under concurrent queries on one database with
/// "Index was outside the bounds of the array" (litedb-org/LiteDB#2146, #2122), which stopped a compare run here in
/// a 10-thread cell, so its multi-threaded rows show one caller at a time.
/// </summary>
public sealed class LiteDbSystem : IBenchSystem
{
    private const string Collection = "docs";

    // Every cell of a run opens the peer while the others are open; LiteDB's direct mode takes the file for one
    // instance, so the cells share it (the last to close disposes it).
    private static readonly Dictionary<string, (LiteDatabase Database, int Users)> Open = new(StringComparer.Ordinal);

    private static readonly Lock Gate = new();

    private readonly string _path;
    private readonly LiteDatabase _database;
    private readonly ILiteCollection<PeerRow> _documents;

    public LiteDbSystem(Workloads.BenchDatabase database)
    {
        _path = PeerFiles.Get(database, "litedb", ".db", Fill);
        lock (Open)
        {
            var (shared, users) = Open.TryGetValue(_path, out var open) ? open : (new LiteDatabase(new ConnectionString { Filename = _path, Connection = ConnectionType.Direct }), 0);
            Open[_path] = (shared, users + 1);
            _database = shared;
        }

        _documents = _database.GetCollection<PeerRow>(Collection, BsonAutoId.Int64);
    }

    public string Name => "litedb";

    public bool Supports(string workload) => PeerRow.Supports(workload);

    public Document? Get(long id)
    {
        lock (Gate)
        {
            return _documents.FindById(id)?.ToDocument();
        }
    }

    public int List(ListQuery query)
    {
        lock (Gate)
        {
            return ListLocked(query);
        }
    }

    private int ListLocked(ListQuery query)
    {
        var page = _documents.Query()
            .Where(d => d.Type == query.Type)
            .OrderByDescending(d => d.UpdatedAt)
            .Skip((query.Page - 1) * query.PageSize)
            .Limit(query.PageSize)
            .ToList()
            .Select(r => r.ToDocument())
            .ToList();
        _documents.Count(d => d.Type == query.Type);
        return page.Count;
    }

    public long Create(NewDocument document)
    {
        lock (Gate)
        {
            return _documents.Insert(PeerRow.New(document)).AsInt64;
        }
    }

    public void CreateMany(IReadOnlyList<NewDocument> documents)
    {
        lock (Gate)
        {
            _documents.InsertBulk(documents.Select(PeerRow.New), documents.Count);
        }
    }

    public void Update(long id, DocumentUpdate update)
    {
        lock (Gate)
        {
            UpdateLocked(id, update);
        }
    }

    private void UpdateLocked(long id, DocumentUpdate update)
    {
        // One transaction per update, as a LiteDB user makes it: read, change, write back.
        _database.BeginTrans();
        var row = _documents.FindById(id);
        if (row is not null)
        {
            row.Apply(update);
            _documents.Update(row);
        }

        _database.Commit();
    }

    public void ClearCache()
    {
    }

    public ValueTask DisposeAsync()
    {
        lock (Open)
        {
            var (shared, users) = Open[_path];
            if (users == 1)
            {
                Open.Remove(_path);
                shared.Dispose();
            }
            else
            {
                Open[_path] = (shared, users - 1);
            }
        }

        return ValueTask.CompletedTask;
    }

    private static void Fill(string path, IReadOnlyList<Document> documents)
    {
        using var database = new LiteDatabase(new ConnectionString { Filename = path, Connection = ConnectionType.Direct });
        var collection = database.GetCollection<PeerRow>(Collection, BsonAutoId.Int64);
        collection.InsertBulk(documents.Select(PeerRow.From));
        collection.EnsureIndex(d => d.Type);
        collection.EnsureIndex(d => d.UpdatedAt);
        database.Checkpoint();
    }
}
