using DocStore.Sql;
using Microsoft.Data.Sqlite;

namespace DocStore.Bench.Systems;

/// <summary>
/// The floor for SQLite reads: a bare Microsoft.Data.Sqlite reader loop, one open connection and
/// one prepared command per thread, reading the same columns as a document get, with the fast path's
/// page-cache size; and for writes, <see cref="RawSqliteWriter"/>. Two floors for reads: <c>raw-sqlite</c> with
/// mmap on (256 MiB; on a file nobody writes, mmap is the faster setting) and <c>raw-sqlite-nommap</c> with
/// SQLite's default of mmap off, the store's own default (every commit unmaps a WAL reader's mapping, and the
/// store commits read counts each second), so that floor reads the file the way the store does.
/// </summary>
public sealed class RawSqliteSystem : IBenchSystem
{
    /// <summary>The floor's mmap size; the store's default (<see cref="SqliteOptions.MmapSizeBytes"/>) is the same.</summary>
    public const long MmapSizeBytes = 256L * 1024 * 1024;

    // The store's default page cache per read connection: the floor reads with the same.
    private static readonly int PageCacheKiB = new SqliteOptions().PageCacheKiB;

    private readonly string _connectionString;
    private readonly ThreadLocal<Reader> _readers;
    private readonly Lazy<RawSqliteWriter> _writer;

    /// <param name="path">The bench's database file.</param>
    /// <param name="key">Its key, when the run is encrypted.</param>
    /// <param name="mmap">Whether the readers map the file.</param>
    /// <param name="walCheckpointPages">The writer's checkpoint threshold: the store's default, unless a system compares another.</param>
    /// <param name="name">The system's name, when it differs from the defaults.</param>
    public RawSqliteSystem(string path, EncryptionKey? key = null, bool mmap = true, int? walCheckpointPages = null, string? name = null)
    {
        Name = name ?? (mmap ? "raw-sqlite" : "raw-sqlite-nommap");
        var mmapSizeBytes = mmap ? MmapSizeBytes : 0;
        _connectionString = new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString();
        var keyPragma = key is null ? null : "PRAGMA key = " + Workloads.BenchDatabase.KeyLiteral(key) + ";";
        _readers = new ThreadLocal<Reader>(() => new Reader(_connectionString, keyPragma, mmapSizeBytes), trackAllValues: true);
        _writer = new Lazy<RawSqliteWriter>(() => new RawSqliteWriter(path, keyPragma, walCheckpointPages ?? new SqliteOptions().WalCheckpointPages));
    }

    public string Name { get; }

    public bool Supports(string workload) => workload is "get-cached" or "get-uncached" or "get-zipf" or "get-many-10" or "ycsb-c" or "search-selective" or "search-common"
        or "create-single" or "create-batch-100" or "create-concurrent" or "update-single" or "update-concurrent";

    public Document? Get(long id)
    {
        _readers.Value!.Get(id);
        return null;
    }

    public int GetMany(long[] ids) => _readers.Value!.GetMany(ids);

    public int Search(SearchQuery query) => _readers.Value!.Search(query.Text, query.PageSize);

    public long Create(NewDocument document) => _writer.Value.Create(document);

    public void CreateMany(IReadOnlyList<NewDocument> documents) => _writer.Value.CreateMany(documents);

    public void Update(long id, DocumentUpdate update) => _writer.Value.Update(id, update);

    public void ClearCache()
    {
    }

    public ValueTask DisposeAsync()
    {
        foreach (var reader in _readers.Values)
        {
            reader.Dispose();
        }

        _readers.Dispose();
        if (_writer.IsValueCreated)
        {
            _writer.Value.Dispose();
        }

        return ValueTask.CompletedTask;
    }

    private sealed class Reader : IDisposable
    {
        private readonly SqliteConnection _connection;
        private readonly SqliteCommand _get;
        private readonly SqliteParameter _id;
        private readonly SqliteCommand _many;
        private readonly SqliteParameter _ids;
        private readonly SqliteCommand _search;
        private readonly SqliteParameter _match;
        private readonly SqliteParameter _limit;
        private readonly SqliteCommand _page;
        private readonly SqliteParameter _pageMatch;
        private readonly SqliteParameter _pageIds;
        private readonly SqliteCommand _count;
        private readonly SqliteParameter _countMatch;

        public Reader(string connectionString, string? keyPragma, long mmapSizeBytes)
        {
            _connection = new SqliteConnection(connectionString);
            _connection.Open();
            using (var pragma = _connection.CreateCommand())
            {
                pragma.CommandText = keyPragma + $"PRAGMA mmap_size = {mmapSizeBytes}; PRAGMA cache_size = -{PageCacheKiB};";
                pragma.ExecuteNonQuery();
            }

            _get = _connection.CreateCommand();
            _get.CommandText = $"SELECT {DocumentColumns.SelectList} FROM {DocumentColumns.From} WHERE d.id = $id AND {QuerySql.NotDeleted}";
            _id = _get.Parameters.Add("$id", SqliteType.Integer);
            _get.Prepare();
            _many = _connection.CreateCommand();
            _many.CommandText = $"SELECT {DocumentColumns.SelectList} FROM {DocumentColumns.From} WHERE d.id IN (SELECT value FROM json_each($ids)) AND {QuerySql.NotDeleted}";
            _ids = _many.Parameters.Add("$ids", SqliteType.Text);
            _many.Prepare();

            // The search floor: what FTS5 itself costs. Rank on the live index alone (BM25 with the store's
            // weights), then snippets and document rows for that page only, then the total count on the index;
            // without the store's query parsing, exact-title boost, snippet chunking or result cache.
            _search = _connection.CreateCommand();
            _search.CommandText = $"SELECT rowid FROM documents_fts WHERE documents_fts MATCH $match ORDER BY bm25(documents_fts, {QuerySql.Bm25Weights}) LIMIT $limit";
            _match = _search.Parameters.Add("$match", SqliteType.Text);
            _limit = _search.Parameters.Add("$limit", SqliteType.Integer);
            _search.Prepare();
            _page = _connection.CreateCommand();
            _page.CommandText = $"SELECT {DocumentColumns.SelectList}, snippet(documents_fts, 1, '<mark>', '</mark>', '…', 24) "
                + $"FROM documents_fts f JOIN documents d ON d.id = f.rowid {DocumentColumns.ReadsJoin} WHERE documents_fts MATCH $match AND f.rowid IN (SELECT value FROM json_each($ids))";
            _pageMatch = _page.Parameters.Add("$match", SqliteType.Text);
            _pageIds = _page.Parameters.Add("$ids", SqliteType.Text);
            _page.Prepare();
            _count = _connection.CreateCommand();
            _count.CommandText = "SELECT count(*) FROM documents_fts WHERE documents_fts MATCH $match";
            _countMatch = _count.Parameters.Add("$match", SqliteType.Text);
            _count.Prepare();
        }

        public int Search(string text, int limit)
        {
            var match = "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
            _match.Value = match;
            _limit.Value = limit;
            var ids = new List<long>(limit);
            using (var reader = _search.ExecuteReader())
            {
                while (reader.Read())
                {
                    ids.Add(reader.GetInt64(0));
                }
            }

            var n = 0;
            _pageMatch.Value = match;
            _pageIds.Value = "[" + string.Join(',', ids) + "]";
            using (var reader = _page.ExecuteReader())
            {
                while (reader.Read())
                {
                    ReadRow(reader);
                    GC.KeepAlive(reader.GetString(DocumentColumns.Count));
                    n++;
                }
            }

            _countMatch.Value = match;
            GC.KeepAlive(_count.ExecuteScalar());
            return n;
        }

        public void Get(long id)
        {
            _id.Value = id;
            using var reader = _get.ExecuteReader();
            if (reader.Read())
            {
                ReadRow(reader);
            }
        }

        public int GetMany(long[] ids)
        {
            _ids.Value = "[" + string.Join(',', ids) + "]";
            using var reader = _many.ExecuteReader();
            var n = 0;
            while (reader.Read())
            {
                ReadRow(reader);
                n++;
            }

            return n;
        }

        public void Dispose() => _connection.Dispose();

        // The same Document the store hands out, built from the same columns: the floor does the same work.
        private static void ReadRow(SqliteDataReader r) => GC.KeepAlive(DocumentColumns.Read(r));
    }
}
