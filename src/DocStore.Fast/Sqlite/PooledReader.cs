using DocStore.Search;
using DocStore.Sql;
using Microsoft.Data.Sqlite;
using DocStore.Sqlite;

namespace DocStore.Fast.Sqlite;

/// <summary>
/// One open read-only connection and the prepared commands it keeps for every read shape. It is never
/// closed between uses: <see cref="SqliteConnection.Close"/> would dispose its commands and throw the
/// prepared statements away. Used by one thread at a time (the pool sees to that).
/// </summary>
internal sealed class PooledReader : Sql.IFastReader
{
    private const int MaxShapes = 256;

    private static readonly string MostAccessedSql =
        $"SELECT d.id FROM {DocumentColumns.FromByReads} WHERE {QuerySql.NotDeleted} ORDER BY r.access_count DESC, r.document_id DESC LIMIT $n";

    private readonly SqliteConnection _connection;
    private readonly SqliteCommand _byId;
    private readonly SqliteParameter _byIdParameter;
    private readonly SqliteCommand _byUuid;
    private readonly SqliteParameter _byUuidParameter;
    private readonly SqliteCommand _many;
    private readonly SqliteParameter _manyParameter;
    private readonly SqliteCommand _begin;
    private readonly SqliteCommand _commit;
    private readonly SqliteCommand _rollback;
    private readonly Dictionary<(string Sql, int Arguments), SqliteCommand> _shapes = [];
    private SnippetWorkspace? _workspace;

    public PooledReader(ReadConnectionSettings settings)
    {
        _connection = new SqliteConnection(settings.ConnectionString);
        try
        {
            _connection.Open();
            settings.Configure?.Invoke(_connection);
            using (var pragma = _connection.CreateCommand())
            {
                pragma.CommandText = $"PRAGMA query_only = 1; PRAGMA mmap_size = {settings.MmapSizeBytes}; PRAGMA cache_size = -{settings.PageCacheKiB}; PRAGMA temp_store = MEMORY;";
                pragma.ExecuteNonQuery();
            }

            (_byId, _byIdParameter) = Prepare($"SELECT {DocumentColumns.SelectList} FROM {DocumentColumns.From} WHERE d.id = $p AND {QuerySql.NotDeleted}", SqliteType.Integer);
            (_byUuid, _byUuidParameter) = Prepare($"SELECT {DocumentColumns.SelectList} FROM {DocumentColumns.From} WHERE d.uuid = $p AND {QuerySql.NotDeleted}", SqliteType.Blob);
            (_many, _manyParameter) = Prepare($"SELECT {DocumentColumns.SelectList} FROM {DocumentColumns.From} WHERE d.id IN (SELECT value FROM json_each($p)) AND {QuerySql.NotDeleted}", SqliteType.Text);
            _begin = Command("BEGIN");
            _commit = Command("COMMIT");
            _rollback = Command("ROLLBACK");
        }
        catch
        {
            _connection.Dispose();
            throw;
        }
    }

    /// <summary>The connection, for interrupting a statement it runs.</summary>
    public System.Data.Common.DbConnection Connection => _connection;

    // SQLite's instances learn of each other's commits from the WAL index (Coherence/InstanceCoherence), not by number.
    public long LastHead => 0;

    /// <summary>This reader's own in-memory snippet workspace, opened on first search.</summary>
    public bool Reusable { get; private set; } = true;

    public SnippetWorkspace Workspace => _workspace ??= new SnippetWorkspace();

    public Document? GetById(long id)
    {
        _byIdParameter.Value = id;
        using var reader = _byId.ExecuteReader();
        return reader.Read() ? DocumentColumns.Read(reader) : null;
    }

    /// <summary>The document whose UUID is stored as <paramref name="uuid"/> (<see cref="Internal.StoredBytes.FromUuid"/>).</summary>
    public Document? GetByUuid(byte[] uuid)
    {
        _byUuidParameter.Value = uuid;
        using var reader = _byUuid.ExecuteReader();
        return reader.Read() ? DocumentColumns.Read(reader) : null;
    }

    /// <summary>Reads the documents of <paramref name="ids"/> (passed to SQLite as one JSON array) into <paramref name="sink"/>.</summary>
    public void GetMany(IReadOnlyList<long> ids, Dictionary<long, Document> sink)
    {
        _manyParameter.Value = new System.Text.StringBuilder(ids.Count * 8).Append('[').AppendJoin(',', ids).Append(']').ToString();
        using var reader = _many.ExecuteReader();
        while (reader.Read())
        {
            var document = DocumentColumns.Read(reader);
            sink[document.Id] = document;
        }
    }

    public List<long> MostAccessed(int count) =>
        Read(MostAccessedSql, [new SqlArgument("$n", (long)count)], r => r.GetInt64(0));

    /// <summary>Runs <paramref name="read"/> in one read transaction, so all its statements see one snapshot.</summary>
    public T InSnapshot<T>(Func<Sql.IFastReader, T> read)
    {
        _begin.ExecuteNonQuery();
        try
        {
            var result = read(this);
            _commit.ExecuteNonQuery();
            return result;
        }
        catch
        {
            // A statement SQLite interrupted may have ended the transaction already. A ROLLBACK that fails (an interrupt
            // can cut it short too) leaves it open, and the next BEGIN would fail: the pool then closes this reader.
            Reusable = false;
            if (!_connection.Handle!.IsInvalid && SQLitePCL.raw.sqlite3_get_autocommit(_connection.Handle) == 0)
            {
                _rollback.ExecuteNonQuery();
            }

            Reusable = true;
            throw;
        }
    }

    public long Count(string sql, IReadOnlyList<SqlArgument> arguments) => (long)Shaped(sql, arguments).ExecuteScalar()!;

    public List<T> Read<T>(string sql, IReadOnlyList<SqlArgument> arguments, Func<System.Data.Common.DbDataReader, T> map)
    {
        using var reader = Shaped(sql, arguments).ExecuteReader();
        var items = new List<T>();
        while (reader.Read())
        {
            items.Add(map(reader));
        }

        return items;
    }

    public void Dispose()
    {
        _workspace?.Dispose();
        _connection.Dispose();
    }

    /// <summary>
    /// The prepared command of one SQL shape, with the values bound. A shape is its text and its number of
    /// arguments (a count statement's text is shared by searches with and without an exact-title argument);
    /// <see cref="QuerySql"/> lists a shape's arguments always in the same order, so they are rebound by position.
    /// </summary>
    private SqliteCommand Shaped(string sql, IReadOnlyList<SqlArgument> arguments)
    {
        if (!_shapes.TryGetValue((sql, arguments.Count), out var command))
        {
            if (_shapes.Count >= MaxShapes)
            {
                foreach (var old in _shapes.Values)
                {
                    old.Dispose();
                }

                _shapes.Clear();
            }

            command = _connection.CreateCommand();
            command.CommandText = sql;
            foreach (var argument in arguments)
            {
                command.Parameters.AddWithValue(argument.Name, argument.Value);
            }

            command.Prepare();
            _shapes.Add((sql, arguments.Count), command);
            return command;
        }

        var parameters = command.Parameters;
        for (var i = 0; i < arguments.Count; i++)
        {
            parameters[i].Value = arguments[i].Value;
        }

        return command;
    }

    private SqliteCommand Command(string sql)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        return command;
    }

    private (SqliteCommand Command, SqliteParameter Parameter) Prepare(string sql, SqliteType type)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        var parameter = command.Parameters.Add("$p", type);
        return (command, parameter);
    }
}
