using System.Data;
using System.Data.Common;
using DocStore.Fast.Sql;
using DocStore.Sql;
using DocStore.Sqlite;
using Npgsql;
using NpgsqlTypes;

namespace DocStore.PostgreSql;

/// <summary>
/// One of the fast path's readers on PostgreSQL: a connection kept open while pooled, with its point reads prepared
/// explicitly (Npgsql keeps a prepared statement per physical connection; auto-prepare is still experimental). Every
/// read also returns the change sequence's head from its own snapshot (<see cref="LastHead"/>), so the caches catch up
/// before the caller reads on when the database has seen commits they have not.
/// </summary>
internal sealed class PostgreSqlFastReader : IFastReader
{
    /// <summary>The change sequence's head, as a column of any read: from the read's own snapshot.</summary>
    internal const string Head = "(SELECT head FROM docstore_changes)";
    private const string Live = "d.status <> 3";

    private readonly NpgsqlConnection _connection;
    private readonly NpgsqlCommand _byId;
    private readonly NpgsqlCommand _byUuid;
    private readonly NpgsqlCommand _many;
    private readonly NpgsqlCommand _mostAccessed;
    private readonly NpgsqlCommand _head;
    private NpgsqlTransaction? _transaction;
    private SnippetWorkspace? _workspace;

    public PostgreSqlFastReader(NpgsqlDataSource dataSource)
    {
        _connection = dataSource.OpenConnection();
        try
        {
            _byId = Prepare($"SELECT {DocumentColumns.SelectList}, {Head} FROM {DocumentColumns.From} WHERE d.id = @p AND {Live}", NpgsqlDbType.Bigint);
            _byUuid = Prepare($"SELECT {DocumentColumns.SelectList}, {Head} FROM {DocumentColumns.From} WHERE d.uuid = @p AND {Live}", NpgsqlDbType.Bytea);
            _many = Prepare($"SELECT {DocumentColumns.SelectList}, {Head} FROM {DocumentColumns.From} WHERE d.id = ANY(@p) AND {Live}", NpgsqlDbType.Array | NpgsqlDbType.Bigint);
            _mostAccessed = Prepare($"SELECT r.document_id FROM {DocumentColumns.From} WHERE {Live} ORDER BY r.access_count DESC, r.document_id DESC LIMIT @p", NpgsqlDbType.Integer);
            _head = new NpgsqlCommand("SELECT head FROM docstore_changes", _connection);
            _head.Prepare();
        }
        catch
        {
            _connection.Dispose();
            throw;
        }
    }

    public DbConnection Connection => _connection;

    public SnippetWorkspace Workspace => _workspace ??= new SnippetWorkspace();

    public long LastHead { get; private set; }

    public Document? GetById(long id) => ReadOne(_byId, id);

    public Document? GetByUuid(byte[] uuid) => ReadOne(_byUuid, uuid);

    public void GetMany(IReadOnlyList<long> ids, Dictionary<long, Document> sink)
    {
        _many.Parameters[0].Value = ids.ToArray();
        using var reader = _many.ExecuteReader();
        while (reader.Read())
        {
            var document = DocumentColumns.Read(reader);
            sink[document.Id] = document;
            LastHead = reader.GetInt64(DocumentColumns.Count);
        }
    }

    public List<long> MostAccessed(int count)
    {
        _mostAccessed.Parameters[0].Value = count;
        using var reader = _mostAccessed.ExecuteReader();
        var ids = new List<long>();
        while (reader.Read())
        {
            ids.Add(reader.GetInt64(0));
        }

        return ids;
    }

    public bool Reusable { get; private set; } = true;

    public T InSnapshot<T>(Func<IFastReader, T> read)
    {
        _transaction = _connection.BeginTransaction(IsolationLevel.RepeatableRead);
        var committed = false;
        try
        {
            _head.Transaction = _transaction;
            LastHead = (long)_head.ExecuteScalar()!;
            var result = read(this);
            _transaction.Commit();
            committed = true;
            return result;
        }
        finally
        {
            _head.Transaction = null;
            _transaction.Dispose();
            _transaction = null;
            if (!committed)
            {
                // The server cancels a statement some time after the token fired, so a cancel meant for a read can land
                // on the ROLLBACK (or the COMMIT) and leave the transaction open: this connection would then refuse every
                // later BEGIN. The pool closes it once the cancel is over (closing it here, Npgsql's pool could hand the
                // same backend to another caller, and the cancel would land on that caller's statement).
                Reusable = false;
            }
        }
    }

    public long Count(string sql, IReadOnlyList<SqlArgument> arguments) => new CommandExecutor(_connection, _transaction).Count(sql, arguments);

    public List<T> Read<T>(string sql, IReadOnlyList<SqlArgument> arguments, Func<DbDataReader, T> map) =>
        new CommandExecutor(_connection, _transaction).Read(sql, arguments, map);

    public void Dispose()
    {
        _workspace?.Dispose();
        _connection.Dispose();
    }

    private Document? ReadOne(NpgsqlCommand command, object key)
    {
        command.Parameters[0].Value = key;
        using var reader = command.ExecuteReader();
        if (!reader.Read())
        {
            return null;
        }

        LastHead = reader.GetInt64(DocumentColumns.Count);
        return DocumentColumns.Read(reader);
    }

    private NpgsqlCommand Prepare(string sql, NpgsqlDbType type)
    {
        var command = new NpgsqlCommand(sql, _connection);
        command.Parameters.Add(new NpgsqlParameter("p", type));
        command.Prepare();
        return command;
    }
}
