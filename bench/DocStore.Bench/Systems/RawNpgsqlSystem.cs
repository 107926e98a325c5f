using DocStore.Sql;
using Npgsql;
using NpgsqlTypes;

namespace DocStore.Bench.Systems;

/// <summary>
/// The floor for PostgreSQL reads: one open Npgsql connection per thread with explicitly prepared commands, reading
/// the same columns as a document get from the store's own tables, and a listing by type with its total (the same
/// two statements the store's fast path runs, planned for each call). No cache, validation, read counting or
/// change feed. It does no writes and no search: the store's write path and search have no hand-written twin here.
/// </summary>
public sealed class RawNpgsqlSystem : IBenchSystem
{
    private readonly string _connectionString;
    private readonly ThreadLocal<Reader> _readers;

    public RawNpgsqlSystem(string connectionString)
    {
        _connectionString = connectionString;
        _readers = new ThreadLocal<Reader>(() => new Reader(_connectionString), trackAllValues: true);
    }

    public string Name => "raw-npgsql";

    public bool Supports(string workload) => workload is "get-cached" or "get-uncached" or "get-zipf" or "get-many-10" or "list-by-type";

    public Document? Get(long id) => _readers.Value!.Get(id);

    public int GetMany(long[] ids) => _readers.Value!.GetMany(ids);

    public int List(ListQuery query) => _readers.Value!.List(query);

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
        private readonly NpgsqlConnection _connection;
        private readonly NpgsqlCommand _get;
        private readonly NpgsqlCommand _many;
        private readonly NpgsqlCommand _page;
        private readonly NpgsqlCommand _count;

        public Reader(string connectionString)
        {
            _connection = new NpgsqlConnection(connectionString);
            _connection.Open();
            _get = Prepare($"SELECT {DocumentColumns.SelectList} FROM {DocumentColumns.From} WHERE d.id = @p AND d.status <> 3", ("p", NpgsqlDbType.Bigint));
            _many = Prepare($"SELECT {DocumentColumns.SelectList} FROM {DocumentColumns.From} WHERE d.id = ANY(@p) AND d.status <> 3", ("p", NpgsqlDbType.Array | NpgsqlDbType.Bigint));
            // The listing is not prepared: after five runs PostgreSQL would switch a prepared statement to a generic plan,
            // blind to how many documents the type has, and a plan made for each call was the faster (as the store runs it).
            _page = Command(
                $"SELECT {DocumentColumns.SelectList} FROM {DocumentColumns.From} WHERE d.status <> 3 AND d.type = @type ORDER BY d.updated_at DESC, d.id DESC LIMIT @take OFFSET @skip",
                ("type", NpgsqlDbType.Text),
                ("take", NpgsqlDbType.Bigint),
                ("skip", NpgsqlDbType.Bigint));
            _count = Command("SELECT count(*) FROM documents d WHERE d.status <> 3 AND d.type = @type", ("type", NpgsqlDbType.Text));
        }

        public Document? Get(long id)
        {
            _get.Parameters[0].Value = id;
            using var reader = _get.ExecuteReader();
            return reader.Read() ? DocumentColumns.Read(reader) : null;
        }

        public int GetMany(long[] ids)
        {
            _many.Parameters[0].Value = ids;
            using var reader = _many.ExecuteReader();
            var found = 0;
            while (reader.Read())
            {
                DocumentColumns.Read(reader);
                found++;
            }

            return found;
        }

        /// <summary>A page of one type, newest first, and its total, in one snapshot as the store reads them.</summary>
        public int List(ListQuery query)
        {
            using var transaction = _connection.BeginTransaction(System.Data.IsolationLevel.RepeatableRead);
            _count.Transaction = transaction;
            _page.Transaction = transaction;
            _count.Parameters[0].Value = query.Type!;
            _count.ExecuteScalar();
            _page.Parameters[0].Value = query.Type!;
            _page.Parameters[1].Value = (long)query.PageSize;
            _page.Parameters[2].Value = (long)(query.Page - 1) * query.PageSize;
            var rows = 0;
            using (var reader = _page.ExecuteReader())
            {
                while (reader.Read())
                {
                    DocumentColumns.Read(reader);
                    rows++;
                }
            }

            transaction.Commit();
            return rows;
        }

        public void Dispose() => _connection.Dispose();

        private NpgsqlCommand Prepare(string sql, params (string Name, NpgsqlDbType Type)[] parameters)
        {
            var command = Command(sql, parameters);
            command.Prepare();
            return command;
        }

        private NpgsqlCommand Command(string sql, params (string Name, NpgsqlDbType Type)[] parameters)
        {
            var command = new NpgsqlCommand(sql, _connection);
            foreach (var (name, type) in parameters)
            {
                command.Parameters.Add(new NpgsqlParameter(name, type));
            }

            return command;
        }
    }
}
