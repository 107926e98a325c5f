using DocStore.Sql;
using Microsoft.Data.Sqlite;

namespace DocStore.Bench.Systems;

/// <summary>
/// The floor for SQLite reads: a bare Microsoft.Data.Sqlite reader loop, one open connection and
/// one prepared command per thread, reading the same columns as a document get, with the same
/// mmap and page-cache settings as the fast path's connections. No Document is built.
/// </summary>
public sealed class RawSqliteSystem : IBenchSystem
{
    private readonly string _connectionString;
    private readonly ThreadLocal<Reader> _readers;

    public RawSqliteSystem(string path, EncryptionKey? key = null)
    {
        _connectionString = new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString();
        var keyPragma = key is null ? null : "PRAGMA key = " + Workloads.BenchDatabase.KeyLiteral(key) + ";";
        _readers = new ThreadLocal<Reader>(() => new Reader(_connectionString, keyPragma), trackAllValues: true);
    }

    public string Name => "raw-sqlite";

    public bool Supports(string workload) => workload is "get-cached" or "get-uncached" or "get-zipf" or "get-many-10" or "ycsb-c";

    public Document? Get(long id)
    {
        _readers.Value!.Get(id);
        return null;
    }

    public int GetMany(long[] ids) => _readers.Value!.GetMany(ids);

    public int List(ListQuery query) => throw new NotSupportedException();

    public int Search(SearchQuery query) => throw new NotSupportedException();

    public long Create(NewDocument document) => throw new NotSupportedException();

    public void CreateMany(IReadOnlyList<NewDocument> documents) => throw new NotSupportedException();

    public void Update(long id, DocumentUpdate update) => throw new NotSupportedException();

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
        return ValueTask.CompletedTask;
    }

    private sealed class Reader : IDisposable
    {
        private readonly SqliteConnection _connection;
        private readonly SqliteCommand _get;
        private readonly SqliteParameter _id;
        private readonly SqliteCommand _many;
        private readonly SqliteParameter _ids;

        public Reader(string connectionString, string? keyPragma)
        {
            _connection = new SqliteConnection(connectionString);
            _connection.Open();
            using (var pragma = _connection.CreateCommand())
            {
                pragma.CommandText = keyPragma + "PRAGMA mmap_size = 268435456; PRAGMA cache_size = -16384;";
                pragma.ExecuteNonQuery();
            }

            _get = _connection.CreateCommand();
            _get.CommandText = $"SELECT {DocumentColumns.SelectList} FROM documents d WHERE d.id = $id AND {QuerySql.NotDeleted}";
            _id = _get.Parameters.Add("$id", SqliteType.Integer);
            _get.Prepare();
            _many = _connection.CreateCommand();
            _many.CommandText = $"SELECT {DocumentColumns.SelectList} FROM documents d WHERE d.id IN (SELECT value FROM json_each($ids)) AND {QuerySql.NotDeleted}";
            _ids = _many.Parameters.Add("$ids", SqliteType.Text);
            _many.Prepare();
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
