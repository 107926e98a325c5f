using DocStore.Internal;
using DocStore.PostgreSql;
using DocStore.Search;
using DocStore.Sql;
using DocStore.Validation;
using Npgsql;

namespace DocStore.Bench.Systems;

/// <summary>
/// The floor for PostgreSQL writes: the same rows a DocStore create or update writes (document row, read-count row,
/// tag rows, the replaced version's row, audit row) and the same change-feed statement last (the next number, the
/// changed ids logged, NOTIFY), on one open connection with prepared statements, one READ COMMITTED transaction per
/// call; a create is one statement, a batch of creates one round trip; an update takes the row's lock first, as the
/// store does. It skips what only a store needs (validation,
/// caches, group commit, EF Core), so the store's gap to it is the cost of those. The search vector is a generated
/// column, computed by the server for both. Calls from several threads take turns on a lock.
/// </summary>
internal sealed class RawNpgsqlWriter : IDisposable
{
    private readonly Lock _gate = new();
    private readonly NpgsqlConnection _connection;
    private readonly NpgsqlCommand _insert;
    private readonly ContentColumns _insertContent;
    private readonly NpgsqlCommand _current;
    private readonly NpgsqlCommand _keep;
    private readonly ContentColumns _keepContent;
    private readonly NpgsqlCommand _audit;
    private readonly NpgsqlCommand _stamp;

    // One UPDATE per set of changed columns, as EF Core writes only what changed (an index on an unchanged column is not touched).
    private readonly Dictionary<string, (NpgsqlCommand Command, ContentColumns Content)> _updates = new(StringComparer.Ordinal);

    /// <summary>A create in one statement (one round trip): the document row, its read-count row, its tag rows and its audit row.</summary>
    private static readonly string InsertSql =
        $"WITH d AS (INSERT INTO documents (uuid, {ContentColumns.NameList}, title_key, version, created_at, updated_at, updated_by) "
        + $"VALUES (@uuid, {ContentColumns.ParametersWith('@')}, @title_key, 1, @now, @now, 'bench') RETURNING id), "
        + "r AS (INSERT INTO document_reads (document_id) SELECT id FROM d), "
        + "t AS (INSERT INTO document_tags (tag, document_id) SELECT unnest(@tag_list::text[]), id FROM d), "
        + "a AS (INSERT INTO audit_log (at, operation, document_id, version, actor, outcome, error, duration_us) SELECT @now, 'Create', id, 1, 'bench', 'Success', NULL, 0 FROM d) "
        + "SELECT id FROM d";

    public RawNpgsqlWriter(string connectionString)
    {
        _connection = new NpgsqlConnection(connectionString);
        _connection.Open();
        _insert = Command(InsertSql, "uuid", "title_key", "now", "tag_list");
        _insertContent = new ContentColumns(_insert, '@');
        _current = Command($"SELECT {ContentColumns.NameList}, version FROM documents WHERE id = @id FOR UPDATE", "id");
        _keep = Command($"INSERT INTO document_versions (document_id, version, {ContentColumns.NameList}, created_at, actor) VALUES (@id, @version, {ContentColumns.ParametersWith('@')}, @now, 'bench')", "id", "version", "now");
        _keepContent = new ContentColumns(_keep, '@');
        _audit = Command("INSERT INTO audit_log (at, operation, document_id, version, actor, outcome, error, duration_us) VALUES (@now, @operation, @id, @version, 'bench', 'Success', NULL, 0)", "now", "operation", "id", "version");
        _stamp = Command(PostgreSqlEngine.StampSql, "ids", "list");
    }

    public long Create(NewDocument document)
    {
        lock (_gate)
        {
            using var transaction = _connection.BeginTransaction();
            var id = Insert(document, transaction);
            Stamp(transaction, [id]);
            transaction.Commit();
            return id;
        }
    }

    public void CreateMany(IReadOnlyList<NewDocument> documents)
    {
        lock (_gate)
        {
            // Every document's statement in one round trip (as EF Core batches its inserts).
            using var transaction = _connection.BeginTransaction();
            using var batch = new NpgsqlBatch(_connection, transaction);
            foreach (var document in documents)
            {
                var command = new NpgsqlBatchCommand(InsertSql);
                var (uuid, titleKey, now, tags, content) = Row(document);
                command.Parameters.AddWithValue("uuid", uuid);
                command.Parameters.AddWithValue("title_key", titleKey);
                command.Parameters.AddWithValue("now", now);
                command.Parameters.AddWithValue("tag_list", tags);
                new ContentColumns(command, '@').Bind(content);

                batch.BatchCommands.Add(command);
            }

            var ids = new long[documents.Count];
            using (var reader = batch.ExecuteReader())
            {
                var i = 0;
                do
                {
                    while (reader.Read())
                    {
                        ids[i++] = reader.GetInt64(0);
                    }
                }
                while (reader.NextResult());
            }

            Stamp(transaction, ids);
            transaction.Commit();
        }
    }

    public void Update(long id, DocumentUpdate update)
    {
        lock (_gate)
        {
            using var transaction = _connection.BeginTransaction();
            _current.Transaction = transaction;
            _current.Parameters["id"].Value = id;
            if (FloorUpdate.Current(Run(_current)) is not { } current)
            {
                return;
            }

            var (old, version) = current;
            var next = FloorUpdate.Next(old, update);
            var now = UtcTicks.Now();
            _keep.Transaction = transaction;
            _keep.Parameters["id"].Value = id;
            _keep.Parameters["version"].Value = version;
            _keep.Parameters["now"].Value = now;
            _keepContent.Bind(old);
            Run(_keep).ExecuteNonQuery();
            var (statement, columns) = UpdateOf(old, next);
            statement.Transaction = transaction;
            Run((NpgsqlCommand)FloorUpdate.Bind(statement, columns, '@', id, version + 1, now, next)).ExecuteNonQuery();
            Audit(transaction, now, "Update", id, version + 1);
            Stamp(transaction, [id]);
            transaction.Commit();
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _connection.Dispose();
        }
    }

    /// <summary>Prepares a statement on its first run, once its parameters have values (and so types).</summary>
    private static NpgsqlCommand Run(NpgsqlCommand command)
    {
        if (!command.IsPrepared)
        {
            command.Prepare();
        }

        return command;
    }

    private long Insert(NewDocument document, NpgsqlTransaction transaction)
    {
        var (uuid, titleKey, now, tags, content) = Row(document);
        _insert.Transaction = transaction;
        _insert.Parameters["uuid"].Value = uuid;
        _insert.Parameters["title_key"].Value = titleKey;
        _insert.Parameters["now"].Value = now;
        _insert.Parameters["tag_list"].Value = tags;
        _insertContent.Bind(content);
        return (long)Run(_insert).ExecuteScalar()!;
    }

    /// <summary>What a create binds: a new UUID, the title's key, the time, the distinct tags and the stored content.</summary>
    private static (byte[] Uuid, string TitleKey, long Now, string[] Tags, StoredContent Content) Row(NewDocument document)
    {
        var tags = (document.Tags ?? []).Distinct(StringComparer.Ordinal).ToArray();
        var content = new StoredContent(
            document.Title, document.Type, document.Status, document.Content, document.Format, document.Language, document.SourcePath,
            StoredTags.Serialize(tags), document.Metadata ?? "{}", DocumentValidator.ContentHash(document.Content), DocumentValidator.Utf8Size(document.Content));
        return (StoredBytes.FromUuid(Guid.CreateVersion7()), TitleKey.Of(content.Title), UtcTicks.Now(), tags, content);
    }

    private void Audit(NpgsqlTransaction transaction, long now, string operation, long id, int version)
    {
        _audit.Transaction = transaction;
        _audit.Parameters["now"].Value = now;
        _audit.Parameters["operation"].Value = operation;
        _audit.Parameters["id"].Value = id;
        _audit.Parameters["version"].Value = version;
        Run(_audit).ExecuteNonQuery();
    }

    private void Stamp(NpgsqlTransaction transaction, long[] ids)
    {
        _stamp.Transaction = transaction;
        _stamp.Parameters["ids"].Value = ids;
        _stamp.Parameters["list"].Value = string.Join(',', ids);
        using var reader = Run(_stamp).ExecuteReader();
        reader.Read();
    }

    /// <summary>The prepared UPDATE that sets the columns that differ between <paramref name="old"/> and <paramref name="next"/>.</summary>
    private (NpgsqlCommand Command, ContentColumns Content) UpdateOf(StoredContent old, StoredContent next)
    {
        var sql = FloorUpdate.Sql(old, next, '@');
        if (!_updates.TryGetValue(sql, out var update))
        {
            var command = Command(sql, "id", "version", "now", "title_key");
            update = (command, new ContentColumns(command, '@'));
            _updates[sql] = update;
        }

        return update;
    }

    private NpgsqlCommand Command(string sql, params string[] parameters)
    {
        var command = new NpgsqlCommand(sql, _connection);
        foreach (var name in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter(name, null));
        }

        return command;
    }
}
