using System.Data;
using System.Data.Common;
using DocStore.Engine;
using DocStore.Internal;
using DocStore.Sql;
using DocStore.Writes;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql.EntityFrameworkCore.PostgreSQL.Infrastructure;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace DocStore.PostgreSql;

/// <summary>
/// The server engine: a PostgreSQL database that several instances share. Each instance has one writer connection
/// and pooled readers from one <see cref="NpgsqlDataSource"/>; writes are EF Core on Npgsql, under READ COMMITTED,
/// with the version column as the concurrency token (checked by the database, so writes from every instance are
/// linearizable); search is a generated <c>tsvector</c> (<see cref="PostgreSqlSchema"/>). Found by
/// <see cref="StorageEngines"/> by name.
/// </summary>
internal sealed class PostgreSqlEngine : IStorageEngine
{
    private readonly NpgsqlDataSource _dataSource;

    public PostgreSqlEngine(DocStoreOptions options)
    {
        NpgsqlConnectionStringBuilder settings;
        try
        {
            settings = new NpgsqlConnectionStringBuilder(options.ConnectionString);
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException("ConnectionString: is not a valid PostgreSQL connection string: " + e.Message, nameof(options), e);
        }

        // A lock wait ends as the SQLite engine's busy timeout does; zero means no limit there and here.
        settings.Options = $"{settings.Options} -c lock_timeout={(long)options.BusyTimeout.TotalMilliseconds}".Trim();
        settings.ApplicationName ??= "DocStore";
        Location = $"postgresql://{settings.Host}:{settings.Port}/{settings.Database}";
        _dataSource = NpgsqlDataSource.Create(settings);

        // The change listener's own connection: named, so an operator (or a test) can find it; kept alive, so a dead
        // server is noticed between heartbeats.
        var listener = new NpgsqlConnectionStringBuilder(settings.ConnectionString) { ApplicationName = ListenerName, Pooling = false, KeepAlive = 5 };
        ListenerConnectionString = listener.ConnectionString;
    }

    public string Location { get; }

    /// <summary>The application name of the fast path's change listener connections.</summary>
    public const string ListenerName = "DocStore change listener";

    /// <summary>The store's connections (the fast path's readers come from it too).</summary>
    public NpgsqlDataSource DataSource => _dataSource;

    /// <summary>The connection string of the fast path's change listener (<see cref="ListenerName"/>, not pooled).</summary>
    public string ListenerConnectionString { get; }

    public bool Encrypted => false;

    // PostgreSQL keeps 64 subtransactions per transaction in memory; past that every snapshot slows down.
    public int MaxWritesPerGroup => 60;

    public string? LockRowSql => "SELECT 1 FROM documents WHERE id = {0} FOR UPDATE";

    public string DatabaseBytesSql => "SELECT pg_database_size(current_database()) AS \"Value\"";

    public DbConnection OpenWriter(ILogger logger)
    {
        NpgsqlConnection? writer = null;
        try
        {
            writer = _dataSource.OpenConnection();
            PostgreSqlSchema.Open(writer, message => logger.LogInformation("{Message}", message));
            return writer;
        }
        catch (NpgsqlException e)
        {
            writer?.Dispose();
            throw PostgreSqlErrors.Translate(e, "Opening the database");
        }
        catch
        {
            writer?.Dispose();
            throw;
        }
    }

    public void UseEngine(DbContextOptionsBuilder options, DbConnection? writer)
    {
        options.UseModel(PostgreSqlModel.Instance);
        if (writer is not null)
        {
            options.UseNpgsql(writer, NoRetries);
            return;
        }

        options.UseNpgsql(_dataSource, NoRetries);
    }

    // Npgsql's default strategy wraps a broken connection's error in an InvalidOperationException, which hid it from
    // the translation into typed exceptions; and the store retries nothing itself, since a write may have committed.
    private static void NoRetries(NpgsqlDbContextOptionsBuilder npgsql) =>
        npgsql.ExecutionStrategy(dependencies => new NonRetryingExecutionStrategy(dependencies));

    // READ COMMITTED: each update's "WHERE version = @expected" is checked against the latest committed row.
    public DbTransaction BeginWrite(DbConnection writer) => ((NpgsqlConnection)writer).BeginTransaction(IsolationLevel.ReadCommitted);

    // One snapshot for every statement of the read (a page and its total agree); no locks taken.
    public DbTransaction BeginSnapshot(DbConnection connection) => ((NpgsqlConnection)connection).BeginTransaction(IsolationLevel.RepeatableRead);

    public CancellationTokenRegistration InterruptOnCancel(DbConnection connection, CancellationToken cancellationToken)
    {
        if (!cancellationToken.CanBeCanceled)
        {
            return default;
        }

        // Statements run synchronously on some paths, so cancellation asks the server to cancel the backend's statement.
        var backend = ((NpgsqlConnection)connection).ProcessID;
        return cancellationToken.Register(() =>
        {
            try
            {
                using var canceller = _dataSource.OpenConnection();
                using var command = new NpgsqlCommand("SELECT pg_cancel_backend(@pid)", canceller);
                command.Parameters.AddWithValue("pid", backend);
                command.ExecuteNonQuery();
            }
#pragma warning disable CA1031 // Thrown here, it reaches whoever cancelled: with CancelAfter a timer thread, which it would end.
            catch (Exception)
#pragma warning restore CA1031
            {
                // The server is unreachable or the store has closed: the statement then runs to its end, and the caller
                // still sees its cancellation afterwards.
            }
        });
    }

    public Exception? Translate(Exception error, string operation, CancellationToken cancellationToken) =>
        PostgreSqlErrors.Unwrap(error) is { } e ? PostgreSqlErrors.Translate(e, operation, cancellationToken) : null;

    public bool ConnectionLost(Exception error)
    {
        if (!PostgreSqlErrors.IsConnectionLost(error))
        {
            return false;
        }

        // Npgsql learns that an idle connection broke only when it next uses it: drop them all at once.
        _dataSource.Clear();
        return true;
    }

    // websearch_to_tsquery accepts any text, so no search text is the caller's error here.
    public Exception? TranslateSearch(Exception error, SearchQuery query, CancellationToken cancellationToken) =>
        Translate(error, "The search", cancellationToken);

    public (QueryText Sql, string SnippetMatch) BuildSearch(SearchQuery query) =>
        (PostgreSqlSearch.Build(query), PostgreSqlSearch.SnippetMatch(query));

    /// <summary>
    /// A commit's change-feed statement (its transaction's last): the next number, the changed ids (<c>@ids</c>)
    /// logged under it, the log's oldest entry dropped, and NOTIFY with the number alone (listeners read the ids from
    /// the log: anyone connected may NOTIFY, so a payload cannot be trusted to name them).
    /// </summary>
    internal static readonly string StampSql =
        $"WITH h AS (UPDATE docstore_changes SET head = head + 1 RETURNING head), "
        + "l AS (INSERT INTO docstore_change_log (change, document_ids) SELECT head, @ids FROM h), "
        + $"d AS (DELETE FROM docstore_change_log WHERE change = (SELECT head FROM h) - {PostgreSqlSchema.KeptChanges}) "
        + $"SELECT head, pg_notify('{PostgreSqlSchema.Channel}', head::text) FROM h";

    public long StampCommit(DbTransaction transaction, IReadOnlyList<DocumentChange> changes)
    {
        var ids = new long[changes.Count];
        for (var i = 0; i < ids.Length; i++)
        {
            ids[i] = changes[i].Id;
        }

        using var command = new NpgsqlCommand(
            StampSql,
            (NpgsqlConnection)transaction.Connection!,
            (NpgsqlTransaction)transaction);
        command.Parameters.AddWithValue("ids", ids);
        using var reader = command.ExecuteReader();
        reader.Read();
        return reader.GetInt64(0);
    }

    // The search vector is a generated column, written by the database with the row.
    public IFullTextIndexWriter CreateIndexWriter(DbConnection writer) => NoIndexWriter.Instance;

    // GIN indexes need no upkeep of the store's own (autovacuum cleans their pending lists).
    public IIndexMaintenance StartIndexMaintenance(WritePipeline pipeline, ILogger logger) => new NoIndexMaintenance();

    public Func<DbConnection, int> PrepareAccessCounts(IReadOnlyList<AccessUpdate> updates, long readUtcTicks)
    {
        var ids = new long[updates.Count];
        var counts = new long[updates.Count];
        for (var i = 0; i < updates.Count; i++)
        {
            ids[i] = updates[i].DocumentId;
            counts[i] = updates[i].Count;
        }

        return writer =>
        {
            using var command = new NpgsqlCommand(
                "UPDATE document_reads r SET access_count = r.access_count + a.n, last_accessed_at = greatest(coalesce(r.last_accessed_at, 0), @at) "
                + "FROM unnest(@ids, @counts) AS a(id, n) WHERE r.document_id = a.id",
                (NpgsqlConnection)writer);
            command.Parameters.AddWithValue("ids", ids);
            command.Parameters.AddWithValue("counts", counts);
            command.Parameters.AddWithValue("at", readUtcTicks);
            return command.ExecuteNonQuery();
        };
    }

    // Rows loaded with their ids leave each identity behind them: the next id follows the largest loaded.
    public void FinishLoad(DbConnection writer) => Execute(
        (NpgsqlConnection)writer,
        string.Concat(new[] { "documents", "document_versions", "audit_log" }.Select(table =>
            $"SELECT setval(pg_get_serial_sequence('{table}', 'id'), coalesce((SELECT max(id) FROM {table}), 0) + 1, false);")));

    public void Optimize(DbConnection writer, bool vacuum) =>
        Execute((NpgsqlConnection)writer, vacuum ? "VACUUM (ANALYZE) documents, document_versions, document_tags, document_reads, audit_log" : "ANALYZE");

    // The server checkpoints its own log.
    public void Checkpoint(DbConnection writer)
    {
    }

    public void RotateKey(DbConnection writer, EncryptionKey newKey) =>
        throw new NotSupportedException("The PostgreSql engine has no key of its own: encrypt the server's storage, and use TLS to reach it.");

    public void Backup(string destinationPath, CancellationToken cancellationToken) =>
        throw new NotSupportedException("The PostgreSql engine is backed up by the server's own tools (pg_dump, or continuous archiving); CopyToAsync (docstore copy --to FILE) writes a store file from it.");

    public VerificationReport Verify(CancellationToken cancellationToken)
    {
        using var connection = _dataSource.OpenConnection();
        return PostgreSqlVerifier.Run(connection, cancellationToken);
    }

    public void ReleaseReadConnections() => _dataSource.Clear();

    public void Dispose() => _dataSource.Dispose();

    private static void Execute(NpgsqlConnection connection, string sql)
    {
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }

    private sealed class NoIndexWriter : IFullTextIndexWriter
    {
        public static readonly NoIndexWriter Instance = new();

        public void Apply(IReadOnlyList<IndexChange> changes, DbTransaction transaction)
        {
        }

        public void Dispose()
        {
        }
    }

    private sealed class NoIndexMaintenance : IIndexMaintenance
    {
        public long Steps => 0;

        public void IndexChanged()
        {
        }

        public Task<int> RunAsync(CancellationToken cancellationToken) => Task.FromResult(0);

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
