using DocStore.Sql;
using Microsoft.Data.Sqlite;

namespace DocStore.Fast.Sql;

/// <summary>
/// One open read-only connection and the prepared commands it keeps for every read shape. It is
/// never closed between uses: <see cref="SqliteConnection.Close"/> would dispose its commands and
/// throw the prepared statements away. Used by one thread at a time (the pool sees to that).
/// </summary>
internal sealed class PooledReader : IDisposable
{
    private const string NotDeleted = "d.status <> 3";
    private const int MaxShapes = 256;

    private readonly SqliteConnection _connection;
    private readonly SqliteCommand _byId;
    private readonly SqliteParameter _byIdParameter;
    private readonly SqliteCommand _byUuid;
    private readonly SqliteParameter _byUuidParameter;
    private readonly SqliteCommand _many;
    private readonly SqliteParameter _manyParameter;
    private readonly Dictionary<string, SqliteCommand> _shapes = new(StringComparer.Ordinal);

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

            (_byId, _byIdParameter) = Prepare($"SELECT {DocumentMapper.Columns} FROM documents d WHERE d.id = $p AND {NotDeleted}", SqliteType.Integer);
            (_byUuid, _byUuidParameter) = Prepare($"SELECT {DocumentMapper.Columns} FROM documents d WHERE d.uuid = $p AND {NotDeleted}", SqliteType.Text);
            (_many, _manyParameter) = Prepare($"SELECT {DocumentMapper.Columns} FROM documents d WHERE d.id IN (SELECT value FROM json_each($p)) AND {NotDeleted}", SqliteType.Text);
        }
        catch
        {
            _connection.Dispose();
            throw;
        }
    }

    public Document? GetById(long id)
    {
        _byIdParameter.Value = id;
        using var reader = _byId.ExecuteReader();
        return reader.Read() ? DocumentMapper.FromRow(reader) : null;
    }

    public Document? GetByUuid(string uuid)
    {
        _byUuidParameter.Value = uuid;
        using var reader = _byUuid.ExecuteReader();
        return reader.Read() ? DocumentMapper.FromRow(reader) : null;
    }

    /// <summary>Reads the documents of <paramref name="idsJson"/> (a JSON array) into <paramref name="sink"/>.</summary>
    public void GetMany(string idsJson, Dictionary<long, Document> sink)
    {
        _manyParameter.Value = idsJson;
        using var reader = _many.ExecuteReader();
        while (reader.Read())
        {
            var document = DocumentMapper.FromRow(reader);
            sink[document.Id] = document;
        }
    }

    public long Count(string sql, IReadOnlyList<SqlArgument> arguments)
    {
        var command = Shaped(sql, arguments);
        return (long)command.ExecuteScalar()!;
    }

    public List<T> Read<T>(string sql, IReadOnlyList<SqlArgument> arguments, Func<SqliteDataReader, T> map)
    {
        var command = Shaped(sql, arguments);
        using var reader = command.ExecuteReader();
        var items = new List<T>();
        while (reader.Read())
        {
            items.Add(map(reader));
        }

        return items;
    }

    public void Dispose() => _connection.Dispose();

    /// <summary>
    /// The prepared command of one SQL shape, with the values bound. The same shape always lists its
    /// parameters in the same order (<see cref="QuerySql"/> builds both), so they are rebound by position.
    /// </summary>
    private SqliteCommand Shaped(string sql, IReadOnlyList<SqlArgument> arguments)
    {
        if (!_shapes.TryGetValue(sql, out var command))
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
            SqlCommands.Bind(command, arguments);
            command.Prepare();
            _shapes.Add(sql, command);
            return command;
        }

        var parameters = command.Parameters;
        for (var i = 0; i < arguments.Count; i++)
        {
            parameters[i].Value = arguments[i].Value;
        }

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
