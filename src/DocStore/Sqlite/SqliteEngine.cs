using System.Data.Common;
using System.Text;
using DocStore.Engine;
using DocStore.Internal;
using DocStore.Sql;
using DocStore.Writes;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace DocStore.Sqlite;

/// <summary>
/// The embedded engine: one SQLite file in WAL mode (optionally encrypted with SQLCipher), one writer connection,
/// pooled readers, FTS5 for search. Everything SQLite-specific the store needs goes through here.
/// </summary>
internal sealed class SqliteEngine : IStorageEngine
{
    private readonly StoreConnections _connections;
    private readonly WriterStatementCache _writerStatements = new();
    private SqliteCommand? _accessCommand;

    private readonly SqliteOptions _options;

    public SqliteEngine(DocStoreOptions options)
    {
        _options = options.Sqlite;
        _connections = new StoreConnections(options);
    }

    /// <summary>Connection strings and per-connection settings (the fast path's readers use them too).</summary>
    public StoreConnections Connections => _connections;

    public string Location => _connections.FullPath;

    public bool Encrypted => _connections.Encrypted;

    public DbConnection OpenWriter(ILogger logger)
    {
        SqliteConnection? writer = null;
        try
        {
            writer = _connections.OpenWriter();
            StoreSchema.Open(writer, message => logger.LogInformation("{Message}", message));
            return writer;
        }
        catch (SqliteException e)
        {
            writer?.Dispose();
            throw e.SqliteErrorCode switch
            {
                SQLitePCL.raw.SQLITE_NOTADB => new StorageException("The file is not a SQLite database, or it is encrypted and no (or the wrong) key was given.", StorageErrorKind.NotADatabase, e),
                SQLitePCL.raw.SQLITE_CANTOPEN => new StorageException("The database file cannot be opened: check that its folder exists and is writable.", StorageErrorKind.CannotOpen, e),
                _ => SqliteErrors.Translate(e, "Opening the database"),
            };
        }
        catch
        {
            writer?.Dispose();
            throw;
        }
    }

    public void UseEngine(DbContextOptionsBuilder options, DbConnection? writer)
    {
        if (writer is not null)
        {
            // One modification per command: the writer then runs a few distinct statements, kept prepared.
            options.UseSqlite(writer, sqlite => sqlite.MaxBatchSize(1)).AddInterceptors(_writerStatements);
            return;
        }

        options.UseSqlite(_connections.ReadConnectionString);
        if (_connections.Encrypted)
        {
            options.AddInterceptors(new KeyingInterceptor(_connections));
        }
    }

    public int MaxWritesPerGroup => 128;

    // BEGIN IMMEDIATE holds the file's write lock.
    public string? LockRowSql => null;

    // BEGIN IMMEDIATE.
    public DbTransaction BeginWrite(DbConnection writer) => ((SqliteConnection)writer).BeginTransaction(deferred: false);

    // A deferred (read) transaction: BeginTransaction() alone would be BEGIN IMMEDIATE and take the write lock.
    public DbTransaction BeginSnapshot(DbConnection connection) => ((SqliteConnection)connection).BeginTransaction(deferred: true);

    public CancellationTokenRegistration InterruptOnCancel(DbConnection connection, CancellationToken cancellationToken) =>
        Interrupt.OnCancel((SqliteConnection)connection, cancellationToken);

    public Exception? Translate(Exception error, string operation, CancellationToken cancellationToken) =>
        SqliteErrors.Unwrap(error) is { } e ? SqliteErrors.Translate(e, operation, cancellationToken) : null;

    public bool ConnectionLost(Exception error) => false;

    public Exception? TranslateSearch(Exception error, SearchQuery query, CancellationToken cancellationToken) =>
        SqliteErrors.Unwrap(error) is { } e ? SqliteErrors.TranslateSearch(e, query, cancellationToken) : null;

    public (QueryText Sql, string SnippetMatch) BuildSearch(SearchQuery query)
    {
        var match = MatchExpression.Build(query);
        return (QuerySql.Search(query, match, Search.SearchTerms.ExactTitle(query)), match);
    }

    public string DatabaseBytesSql => "SELECT page_count * page_size AS Value FROM pragma_page_count(), pragma_page_size()";

    public long StampCommit(DbTransaction transaction, IReadOnlyList<DocumentChange> changes) => 0;

    public IFullTextIndexWriter CreateIndexWriter(DbConnection writer) => new FtsIndexWriter((SqliteConnection)writer);

    public IIndexMaintenance StartIndexMaintenance(WritePipeline pipeline, ILogger logger) =>
        new FullTextMerger(pipeline, _options.FullTextMergeInterval, logger);

    public Func<DbConnection, int> PrepareAccessCounts(IReadOnlyList<AccessUpdate> updates, long readUtcTicks)
    {
        // One statement per flush: the counts travel as JSON arrays, so the per-row cost is SQLite's alone. Most
        // documents in a write were read once since the last (under uniform reads nearly all), so those travel as a
        // bare list of ids and the rest as [id, reads] pairs, with the one read time bound once.
        var once = new StringBuilder(updates.Count * 8).Append('[');
        var more = new StringBuilder().Append('[');
        foreach (var update in updates)
        {
            if (update.Count == 1)
            {
                once.Append(update.DocumentId).Append(',');
            }
            else
            {
                more.Append('[').Append(update.DocumentId).Append(',').Append(update.Count).Append("],");
            }
        }

        var onceJson = Close(once);
        var moreJson = Close(more);
        return writer =>
        {
            var command = _accessCommand ??= CreateAccessCommand((SqliteConnection)writer);
            command.Parameters[0].Value = onceJson;
            command.Parameters[1].Value = moreJson;
            command.Parameters[2].Value = readUtcTicks;
            return command.ExecuteNonQuery();
        };

        static string Close(StringBuilder array) => (array.Length == 1 ? array.Append(']') : array.Remove(array.Length - 1, 1).Append(']')).ToString();
    }

    // The indexes read their text from views over the documents (external content), so a rebuild indexes every row.
    public void FinishLoad(DbConnection writer) => Db.Execute(
        (SqliteConnection)writer,
        "INSERT INTO documents_fts(documents_fts) VALUES ('rebuild'); INSERT INTO documents_trash_fts(documents_trash_fts) VALUES ('rebuild');");

    public void Optimize(DbConnection writer, bool vacuum) => Db.Execute(
        (SqliteConnection)writer,
        "INSERT INTO documents_fts(documents_fts) VALUES ('optimize'); INSERT INTO documents_trash_fts(documents_trash_fts) VALUES ('optimize'); PRAGMA optimize;" + (vacuum ? " VACUUM;" : " PRAGMA incremental_vacuum;"));

    public void Checkpoint(DbConnection writer) => Db.Execute((SqliteConnection)writer, "PRAGMA wal_checkpoint(TRUNCATE);");

    public void RotateKey(DbConnection writer, EncryptionKey newKey)
    {
        // SQLCipher 4 rekeys a WAL database only with no other connection open (the caller closed the readers):
        // rekey with the journal in DELETE mode, then return to WAL. A process killed meanwhile leaves DELETE mode
        // behind; the next open puts the file back in WAL (StoreSchema.Open).
        var connection = (SqliteConnection)writer;
        ReleaseReadConnections();
        try
        {
            Db.Execute(connection, "PRAGMA wal_checkpoint(TRUNCATE)");
            Db.Execute(connection, "PRAGMA journal_mode = DELETE");
            try
            {
                Db.Execute(connection, "PRAGMA rekey = " + newKey.PragmaValue);
            }
            finally
            {
                Db.Execute(connection, "PRAGMA journal_mode = WAL");
            }
        }
        catch (SqliteException e)
        {
            throw new StorageException("The key rotation failed; the old key still opens the store: " + SqliteErrors.Reason(e), SqliteErrors.KindOf(e), e);
        }

        _connections.ReplaceKey(newKey);
    }

    public void Backup(string destinationPath, CancellationToken cancellationToken)
    {
        using var connection = _connections.OpenMaintenance();
        using var interrupt = Interrupt.OnCancel(connection, cancellationToken);
        try
        {
            StoreCopy.Copy(connection, _connections.Encrypted, destinationPath, _connections.Key);
        }
        catch (SqliteException e)
        {
            throw SqliteErrors.Translate(e, "The backup", cancellationToken);
        }
    }

    public VerificationReport Verify(CancellationToken cancellationToken)
    {
        using var connection = _connections.OpenMaintenance();
        return StoreVerifier.Run(connection, cancellationToken);
    }

    public void Dispose()
    {
        _writerStatements.Dispose();
        _accessCommand?.Dispose();
    }

    public void ReleaseReadConnections()
    {
        using var pooled = new SqliteConnection(_connections.ReadConnectionString);
        SqliteConnection.ClearPool(pooled);
    }

    private static SqliteCommand CreateAccessCommand(SqliteConnection connection)
    {
        var command = connection.CreateCommand();
        command.CommandText = "UPDATE document_reads SET access_count = access_count + a.n, last_accessed_at = max(ifnull(last_accessed_at, 0), $at) "
            + "FROM (SELECT value AS id, 1 AS n FROM json_each($once) UNION ALL SELECT value ->> 0, value ->> 1 FROM json_each($more)) AS a "
            + "WHERE document_reads.document_id = a.id";
        command.Parameters.Add("$once", SqliteType.Text);
        command.Parameters.Add("$more", SqliteType.Text);
        command.Parameters.Add("$at", SqliteType.Integer);
        return command;
    }
}
