using DocStore.Sql;
using Npgsql;
using NpgsqlTypes;

namespace DocStore.Bench.Systems;

/// <summary>
/// The floor on PostgreSQL: one open Npgsql connection per thread with explicitly prepared commands, reading the same
/// columns as a document get from the store's own tables; a listing by type with its total (the same two statements
/// the store's fast path runs, planned for each call); a search (the same tsquery, ranked by <c>ts_rank_cd</c> with
/// the store's weights, the page's rows with a <c>ts_headline</c> snippet each, and the total, in one snapshot); and
/// writes (<see cref="RawNpgsqlWriter"/>). No cache, validation, read counting or exact-title boost.
/// <c>raw-npgsql-head</c> is the same floor whose get also returns the change sequence's head, as the store's every read
/// does for its caches' coherence: it shows what that subquery costs, apart from everything else the store adds.
/// </summary>
public sealed class RawNpgsqlSystem : IBenchSystem
{
    private readonly string _connectionString;
    private readonly ThreadLocal<Reader> _readers;
    private readonly Lazy<RawNpgsqlWriter> _writer;

    public RawNpgsqlSystem(string connectionString, bool readHead = false)
    {
        _connectionString = connectionString;
        Name = readHead ? "raw-npgsql-head" : "raw-npgsql";
        _readers = new ThreadLocal<Reader>(() => new Reader(_connectionString, readHead), trackAllValues: true);
        _writer = new Lazy<RawNpgsqlWriter>(() => new RawNpgsqlWriter(_connectionString));
    }

    public string Name { get; }

    public bool Supports(string workload) => workload is "get-cached" or "get-uncached" or "get-zipf" or "get-many-10" or "list-by-type"
        or "search-selective" or "search-common" or "create-single" or "create-batch-100" or "create-concurrent" or "update-single" or "update-concurrent";

    public Document? Get(long id) => _readers.Value!.Get(id);

    public int GetMany(long[] ids) => _readers.Value!.GetMany(ids);

    public int List(ListQuery query) => _readers.Value!.List(query);

    public int Search(SearchQuery query) => _readers.Value!.Search(query);

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
        private readonly NpgsqlConnection _connection;
        private readonly NpgsqlCommand _get;
        private readonly NpgsqlCommand _many;
        private readonly NpgsqlCommand _page;
        private readonly NpgsqlCommand _count;
        private readonly NpgsqlCommand _rank;
        private readonly NpgsqlCommand _hits;
        private readonly NpgsqlCommand _matches;

        public Reader(string connectionString, bool readHead)
        {
            _connection = new NpgsqlConnection(connectionString);
            _connection.Open();
            _get = Prepare($"SELECT {DocumentColumns.SelectList}{(readHead ? ", " + DocStore.PostgreSql.PostgreSqlFastReader.Head : string.Empty)} FROM {DocumentColumns.From} WHERE d.id = @p AND d.status <> 3", ("p", NpgsqlDbType.Bigint));
            _many = Prepare($"SELECT {DocumentColumns.SelectList} FROM {DocumentColumns.From} WHERE d.id = ANY(@p) AND d.status <> 3", ("p", NpgsqlDbType.Array | NpgsqlDbType.Bigint));
            // The listing is not prepared: after five runs PostgreSQL would switch a prepared statement to a generic plan,
            // blind to how many documents the type has, and a plan made for each call was the faster (as the store runs it).
            _page = Command(
                $"SELECT {DocumentColumns.SelectList} FROM {DocumentColumns.From} WHERE d.status <> 3 AND d.type = @type ORDER BY d.updated_at DESC, d.id DESC LIMIT @take OFFSET @skip",
                ("type", NpgsqlDbType.Text),
                ("take", NpgsqlDbType.Bigint),
                ("skip", NpgsqlDbType.Bigint));
            // The total from the schema's kept counts (document_counts), as the store reads it: counting the matching rows
            // instead visits every one of them.
            _count = Command("SELECT coalesce(sum(d.documents), 0) FROM document_counts d WHERE d.status <> 3 AND d.type = @type", ("type", NpgsqlDbType.Text));
            const string Matches = "d.status <> 3 AND d.search @@ phraseto_tsquery('docstore', @q)";
            _rank = Command(
                $"SELECT d.id FROM documents d WHERE {Matches} ORDER BY ts_rank_cd({DocStore.PostgreSql.PostgreSqlSearch.Weights}, d.search, phraseto_tsquery('docstore', @q)) DESC, d.id LIMIT @take",
                ("q", NpgsqlDbType.Text),
                ("take", NpgsqlDbType.Bigint));
            _hits = Command(
                $"SELECT {DocumentColumns.SelectList}, ts_headline('docstore', d.content, phraseto_tsquery('docstore', @q), 'MaxFragments=1, MaxWords=24, MinWords=8') FROM {DocumentColumns.From} WHERE d.id = ANY(@ids)",
                ("q", NpgsqlDbType.Text),
                ("ids", NpgsqlDbType.Array | NpgsqlDbType.Bigint));
            _matches = Command($"SELECT count(*) FROM documents d WHERE {Matches}", ("q", NpgsqlDbType.Text));
        }

        /// <summary>The top of the ranking, its rows with a snippet each, and the total, in one snapshot.</summary>
        public int Search(SearchQuery query)
        {
            using var transaction = _connection.BeginTransaction(System.Data.IsolationLevel.RepeatableRead);
            _rank.Transaction = _hits.Transaction = _matches.Transaction = transaction;
            _rank.Parameters[0].Value = query.Text!;
            _rank.Parameters[1].Value = (long)query.PageSize;
            var ids = new List<long>(query.PageSize);
            using (var reader = _rank.ExecuteReader())
            {
                while (reader.Read())
                {
                    ids.Add(reader.GetInt64(0));
                }
            }

            _hits.Parameters[0].Value = query.Text!;
            _hits.Parameters[1].Value = ids.ToArray();
            var rows = 0;
            using (var reader = _hits.ExecuteReader())
            {
                while (reader.Read())
                {
                    DocumentColumns.Read(reader);
                    GC.KeepAlive(reader.GetString(DocumentColumns.Count));
                    rows++;
                }
            }

            _matches.Parameters[0].Value = query.Text!;
            GC.KeepAlive(_matches.ExecuteScalar());
            transaction.Commit();
            return rows;
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
