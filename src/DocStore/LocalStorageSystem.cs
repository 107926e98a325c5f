using System.Diagnostics;
using DocStore.Data;
using DocStore.Internal;
using DocStore.Schema;
using DocStore.Validation;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using DocStore.Sql;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace DocStore;

/// <summary>
/// The complete store done the plain way: every write and every read through EF Core. It is the
/// write path of <c>OptimizedStorageSystem</c>, its fallback when the fast path is off, and the
/// baseline benchmarks compare against.
/// </summary>
/// <remarks>
/// Writes are serialised by one in-process writer (SQLite allows one) on a dedicated connection,
/// each in a <c>BEGIN IMMEDIATE</c> transaction holding the document, its version row, its audit row
/// and (by triggers) its full-text index change. Reads use a new pooled EF context per call.
/// </remarks>
public sealed partial class LocalStorageSystem : IDocumentStore
{
    private readonly StoreConnections _connections;
    private readonly SqliteConnection _writeConnection;
    private readonly DocStoreDbContext _writeContext;
    private readonly PooledDbContextFactory<DocStoreDbContext> _readContexts;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly DocumentValidator _validator;
    private readonly Func<string> _actor;
    private readonly ILogger _logger;
    private readonly PreparedWrites _preparedWrites;
    private readonly ReadGate _readGate = new();
    private readonly List<(Func<Task> Suspend, Action Resume)> _quiesceHooks = [];
    private int _disposed;

    /// <summary>Opens (creating if needed) the store at <see cref="DocStoreOptions.DatabasePath"/>.</summary>
    /// <param name="options">The store's settings.</param>
    /// <exception cref="SchemaVersionException">The file is from a newer DocStore or another application.</exception>
    /// <exception cref="StorageException">The file cannot be opened or is not a SQLite database.</exception>
    public LocalStorageSystem(DocStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.DatabasePath, nameof(options));
        Options = options;
        _connections = new StoreConnections(options);
        _validator = new DocumentValidator(options);
        _logger = options.LoggerFactory?.CreateLogger<LocalStorageSystem>() ?? (ILogger)NullLogger.Instance;
        var defaultActor = Environment.UserName;
        _actor = options.ActorProvider ?? (() => defaultActor);

        SqliteConnection? writer = null;
        try
        {
            writer = _connections.OpenWriter();
            StoreSchema.EnsureCreated(writer);
        }
        catch (SqliteException e)
        {
            writer?.Dispose();
            throw OpenFailure(e);
        }
        catch
        {
            writer?.Dispose();
            throw;
        }

        _writeConnection = writer;

        _preparedWrites = new PreparedWrites(_writeConnection);
        _writeContext = new DocStoreDbContext(
            new DbContextOptionsBuilder<DocStoreDbContext>().UseSqlite(_writeConnection).Options);
        var readOptions = new DbContextOptionsBuilder<DocStoreDbContext>()
            .UseSqlite(_connections.ReadConnectionString)
            .UseQueryTrackingBehavior(QueryTrackingBehavior.NoTracking);
        if (_connections.Encrypted)
        {
            readOptions.AddInterceptors(new KeyingInterceptor(_connections));
        }

        _readContexts = new PooledDbContextFactory<DocStoreDbContext>(readOptions.Options);
    }

    /// <inheritdoc />
    public event EventHandler<DocumentChangedEventArgs>? DocumentChanged;

    /// <summary>The settings the store was opened with.</summary>
    public DocStoreOptions Options { get; }

    /// <summary>The absolute path of the database file.</summary>
    public string DatabasePath => _connections.FullPath;

    internal StoreConnections Connections => _connections;

    /// <inheritdoc />
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        // Wait for a write in flight so its transaction is not cut off by closing its connection.
        _writeLock.Wait();
        try
        {
            _writeContext.Dispose();
            _preparedWrites.Dispose();
            _accessCommand?.Dispose();
            _writeConnection.Dispose();
            using var pooled = new SqliteConnection(_connections.ReadConnectionString);
            SqliteConnection.ClearPool(pooled);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    private static StorageException OpenFailure(SqliteException e) => e.SqliteErrorCode switch
    {
        26 => new StorageException("The file is not a SQLite database, or it is encrypted and no (or the wrong) key was given.", e.SqliteErrorCode, e),
        14 => new StorageException("The database file cannot be opened: check that its folder exists and is writable.", e.SqliteErrorCode, e),
        _ => new StorageException("Opening the database failed: " + e.Message, e.SqliteErrorCode, e),
    };

    private static long MicrosecondsSince(long startTimestamp) =>
        (long)Stopwatch.GetElapsedTime(startTimestamp).TotalMicroseconds;

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);

    private ValueTask<ReadGate.Ticket> EnterReadAsync() =>
        _connections.Encrypted ? _readGate.EnterAsync() : ValueTask.FromResult(default(ReadGate.Ticket));

    /// <summary>Lets the fast path close its connections around a key rotation (and reopen them after).</summary>
    internal void AddQuiesceHook(Func<Task> suspend, Action resume) => _quiesceHooks.Add((suspend, resume));

    /// <summary>
    /// Runs one write: takes the writer, begins an IMMEDIATE transaction, runs <paramref name="body"/>,
    /// adds the audit rows, commits, then raises the change notification. On failure it rolls back,
    /// audits the failure in a transaction of its own, and throws a typed exception.
    /// </summary>
    private async Task<T> WriteAsync<T>(
        AuditOperation operation,
        long? documentId,
        Func<DocStoreDbContext, WriteScope, CancellationToken, Task<T>> body,
        CancellationToken cancellationToken)
    {
        ThrowIfDisposed();
        var started = Stopwatch.GetTimestamp();
        var actor = _actor();
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        List<DocumentChange>? committed = null;
        try
        {
            ThrowIfDisposed();
            var context = _writeContext;
            var scope = new WriteScope(actor, UtcTicks.Now());
            try
            {
                T result;
                await using (var transaction = await context.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false))
                {
                    scope.Transaction = (SqliteTransaction)transaction.GetDbTransaction();
                    result = await body(context, scope, cancellationToken).ConfigureAwait(false);
                    cancellationToken.ThrowIfCancellationRequested();
                    var duration = MicrosecondsSince(started);
                    foreach (var (op, id, version) in scope.Audits)
                    {
                        _preparedWrites.InsertAudit(scope.Now, op, id, version, actor, AuditOutcome.Success, null, duration, scope.Transaction);
                    }

                    _preparedWrites.ApplyIndexChanges(scope, scope.Transaction);

                    // Past this point the write is decided: do not let a late cancellation undo it.
                    await transaction.CommitAsync(CancellationToken.None).ConfigureAwait(false);
                }

                committed = scope.Changes;
                return result;
            }
            catch (Exception e)
            {
                context.ChangeTracker.Clear();
                var (outcome, typed) = Classify(e, documentId);
                AuditFailureLocked(operation, documentId, actor, outcome, typed.Message, started);
                if (ReferenceEquals(typed, e))
                {
                    throw;
                }

                throw typed;
            }
            finally
            {
                context.ChangeTracker.Clear();
            }
        }
        finally
        {
            _writeLock.Release();
            if (committed is { Count: > 0 })
            {
                RaiseChanged(committed);
            }
        }
    }

    /// <summary>Audits a write that failed validation before reaching the writer, and returns the exception to throw.</summary>
    private async Task<DocumentValidationException> RejectAsync(AuditOperation operation, long? documentId, List<ValidationError> errors, long started)
    {
        var exception = new DocumentValidationException(errors);
        await _writeLock.WaitAsync().ConfigureAwait(false);
        try
        {
            if (Volatile.Read(ref _disposed) == 0)
            {
                AuditFailureLocked(operation, documentId, _actor(), AuditOutcome.Rejected, exception.Message, started);
            }
        }
        finally
        {
            _writeLock.Release();
        }

        return exception;
    }

    private static (AuditOutcome Outcome, Exception Typed) Classify(Exception e, long? documentId) => e switch
    {
        DocumentValidationException => (AuditOutcome.Rejected, e),
        VersionConflictException => (AuditOutcome.Conflict, e),
        DocumentNotFoundException => (AuditOutcome.NotFound, e),
        DbUpdateConcurrencyException => (AuditOutcome.Conflict, new VersionConflictException(documentId ?? 0, -1, null)),
        DbUpdateException { InnerException: SqliteException s } => (AuditOutcome.Failed, new StorageException("The write failed and was rolled back: " + s.Message, s.SqliteErrorCode, s)),
        SqliteException s => (AuditOutcome.Failed, new StorageException("The write failed and was rolled back: " + s.Message, s.SqliteErrorCode, s)),
        _ => (AuditOutcome.Failed, e),
    };

    /// <summary>Writes one failure row in its own transaction. Never throws: a failing audit must not hide the original error.</summary>
    private void AuditFailureLocked(AuditOperation operation, long? documentId, string actor, AuditOutcome outcome, string error, long started)
    {
        try
        {
            _preparedWrites.InsertAudit(UtcTicks.Now(), operation, documentId, null, actor, outcome, error.Length > 2000 ? error[..2000] : error, MicrosecondsSince(started), null);
        }
        catch (Exception e) when (e is SqliteException or InvalidOperationException)
        {
            _logger.LogError(e, "Could not audit the failed {Operation} of document {DocumentId}.", operation, documentId);
        }
    }

    private void RaiseChanged(List<DocumentChange> changes) =>
        ChangeNotifier.Raise(DocumentChanged, this, new DocumentChangedEventArgs(changes), _logger);
}
