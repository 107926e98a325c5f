using Dapper;
using Microsoft.Data.Sqlite;

namespace DocStore.Bench.Systems.Peers;

/// <summary>
/// Peer: Dapper on Microsoft.Data.Sqlite, as a Dapper user writes it: a pooled connection per call, one plain table,
/// an index for the listing by type, WAL with <c>synchronous = NORMAL</c> (the store's durability). No cache, no
/// full-text index, no history, no audit, no validation.
/// </summary>
public sealed class DapperSystem : IBenchSystem
{
    private const string Columns = "id, uuid, title, type, status, content, format, language, source_path, tags, metadata, created_at, updated_at, version";

    private const string Schema = """
        PRAGMA journal_mode = WAL;
        CREATE TABLE docs (
            id INTEGER PRIMARY KEY, uuid TEXT NOT NULL UNIQUE, title TEXT NOT NULL, type TEXT NOT NULL, status INTEGER NOT NULL,
            content TEXT NOT NULL, format TEXT NOT NULL, language TEXT, source_path TEXT, tags TEXT NOT NULL, metadata TEXT NOT NULL,
            created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, version INTEGER NOT NULL);
        CREATE INDEX ix_docs_type_updated ON docs(type, updated_at);
        """;

    private const string Insert = "INSERT INTO docs (uuid, title, type, status, content, format, language, source_path, tags, metadata, created_at, updated_at, version) "
        + "VALUES (@Uuid, @Title, @Type, @Status, @Content, @Format, @Language, @SourcePath, @Tags, @Metadata, @CreatedAt, @UpdatedAt, @Version) RETURNING id";

    private readonly string _connectionString;

    static DapperSystem() => DefaultTypeMap.MatchNamesWithUnderscores = true;

    public DapperSystem(Workloads.BenchDatabase database)
    {
        var path = PeerFiles.Get(database, "dapper", ".db", Fill);
        _connectionString = new SqliteConnectionStringBuilder { DataSource = path, Pooling = true, DefaultTimeout = 30 }.ToString();
    }

    public string Name => "dapper";

    public bool Supports(string workload) => PeerRow.Supports(workload);

    public Document? Get(long id)
    {
        using var connection = Open();
        return connection.QueryFirstOrDefault<PeerRow>($"SELECT {Columns} FROM docs WHERE id = @id", new { id })?.ToDocument();
    }

    public int List(ListQuery query)
    {
        using var connection = Open();
        var page = connection.Query<PeerRow>(
            $"SELECT {Columns} FROM docs WHERE type = @type ORDER BY updated_at DESC, id DESC LIMIT @take OFFSET @skip",
            new { type = query.Type, take = query.PageSize, skip = (query.Page - 1) * query.PageSize }).Select(r => r.ToDocument()).ToList();
        connection.ExecuteScalar<long>("SELECT count(*) FROM docs WHERE type = @type", new { type = query.Type });
        return page.Count;
    }

    public long Create(NewDocument document)
    {
        using var connection = OpenForWrite();
        return connection.ExecuteScalar<long>(Insert, PeerRow.New(document));
    }

    public void CreateMany(IReadOnlyList<NewDocument> documents)
    {
        using var connection = OpenForWrite();
        using var transaction = connection.BeginTransaction();
        foreach (var document in documents)
        {
            connection.ExecuteScalar<long>(Insert, PeerRow.New(document), transaction);
        }

        transaction.Commit();
    }

    public void Update(long id, DocumentUpdate update)
    {
        using var connection = OpenForWrite();
        connection.Execute(
            "UPDATE docs SET metadata = coalesce(@metadata, metadata), title = coalesce(@title, title), updated_at = @now, version = version + 1 WHERE id = @id",
            new { id, metadata = update.Metadata, title = update.Title, now = DateTime.UtcNow.Ticks });
    }

    public void ClearCache()
    {
    }

    public ValueTask DisposeAsync()
    {
        using var connection = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(connection);
        return ValueTask.CompletedTask;
    }

    private static void Fill(string path, IReadOnlyList<Document> documents)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        connection.Execute(Schema);
        using var transaction = connection.BeginTransaction();
        foreach (var document in documents)
        {
            connection.Execute(
                $"INSERT INTO docs ({Columns}) VALUES (@Id, @Uuid, @Title, @Type, @Status, @Content, @Format, @Language, @SourcePath, @Tags, @Metadata, @CreatedAt, @UpdatedAt, @Version)",
                PeerRow.From(document),
                transaction);
        }

        transaction.Commit();
    }

    /// <summary>A pooled connection set to the store's durability (the pragma is per connection, and costs no I/O).</summary>
    private SqliteConnection OpenForWrite()
    {
        var connection = Open();
        connection.Execute("PRAGMA synchronous = NORMAL");
        return connection;
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        return connection;
    }
}
