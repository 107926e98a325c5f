using System.Diagnostics;
using DocStore.Data;
using DocStore.Internal;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Logging;

namespace DocStore.Writes;

/// <summary>
/// The transaction every write goes through, on the single writer connection: take the write lock, begin
/// an IMMEDIATE transaction, run the operation's body, append its audit rows, apply its full-text index
/// changes, let the <see cref="IWriteObserver"/> close its caches, COMMIT, and announce the changes after
/// the lock is released. A failure rolls back, is audited in a transaction of its own, and surfaces as a
/// typed exception. Maintenance that needs the writer (access counts, checkpoints, key rotation) runs
/// through <c>ExclusiveAsync</c>.
/// </summary>
internal sealed class WritePipeline : IDisposable
{
    private readonly SemaphoreSlim _lock = new(1, 1);
    private readonly SqliteConnection _connection;
    private readonly DocStoreDbContext _context;
    private readonly AuditWriter _audit;
    private readonly FtsIndexWriter _index;
    private readonly Func<string> _actor;
    private readonly ILogger _logger;
    private readonly Action<IReadOnlyList<DocumentChange>> _announce;
    private bool _disposed;

    public WritePipeline(SqliteConnection connection, DocStoreDbContext context, Func<string> actor, ILogger logger, Action<IReadOnlyList<DocumentChange>> announce)
    {
        _connection = connection;
        _context = context;
        _actor = actor;
        _logger = logger;
        _announce = announce;
        _audit = new AuditWriter(connection);
        _index = new FtsIndexWriter(connection);
    }

    /// <summary>Sees each write's changes around COMMIT (the fast path's caches). Set once, before writes start.</summary>
    public IWriteObserver? Observer { get; set; }

    /// <summary>The writer connection, for statements run under the lock by <c>ExclusiveAsync</c>.</summary>
    public SqliteConnection Connection => _connection;

    public AuditWriter Audit => _audit;

    /// <summary>Who is writing now (the store's actor provider).</summary>
    public string CurrentActor() => _actor();

    /// <summary>Runs one write in its own transaction and returns the body's result once it has committed.</summary>
    public async Task<T> RunAsync<T>(AuditOperation operation, long? documentId, Func<WriteScope, CancellationToken, Task<T>> body, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var actor = _actor();
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        IReadOnlyList<DocumentChange>? committed = null;
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            try
            {
                await using var transaction = await _context.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
                var scope = new WriteScope(actor, UtcTicks.Now(), _context, (SqliteTransaction)transaction.GetDbTransaction());
                T result;
                using (Interrupt.OnCancel(_connection, cancellationToken))
                {
                    result = await body(scope, cancellationToken).ConfigureAwait(false);
                    cancellationToken.ThrowIfCancellationRequested();
                    var duration = MicrosecondsSince(started);
                    foreach (var (op, id, version) in scope.Audits)
                    {
                        _audit.Append(scope.Now, op, id, version, actor, AuditOutcome.Success, null, duration, scope.Transaction);
                    }

                    _index.Apply(scope);
                }

                // Past this point the write is decided: a late cancellation must not undo it.
                var observer = scope.Changes.Count > 0 ? Observer : null;
                observer?.BeforeCommit(scope.Changes);
                try
                {
                    await transaction.CommitAsync(CancellationToken.None).ConfigureAwait(false);
                }
                finally
                {
                    observer?.AfterCommit(scope.Changes);
                }

                committed = scope.Changes;
                return result;
            }
            catch (Exception e)
            {
                _context.ChangeTracker.Clear();
                var (outcome, typed) = Classify(e, documentId, cancellationToken);
                AuditFailureLocked(operation, documentId, actor, outcome, typed.Message, started);
                if (ReferenceEquals(typed, e))
                {
                    throw;
                }

                throw typed;
            }
            finally
            {
                _context.ChangeTracker.Clear();
            }
        }
        finally
        {
            _lock.Release();
            if (committed is { Count: > 0 })
            {
                _announce(committed);
            }
        }
    }

    /// <summary>Audits a write that failed validation before it reached the writer, and returns the exception to throw.</summary>
    public async Task<DocumentValidationException> RejectAsync(AuditOperation operation, long? documentId, List<ValidationError> errors, long started)
    {
        var exception = new DocumentValidationException(errors);
        var actor = _actor();
        await _lock.WaitAsync().ConfigureAwait(false);
        try
        {
            if (!_disposed)
            {
                AuditFailureLocked(operation, documentId, actor, AuditOutcome.Rejected, exception.Message, started);
            }
        }
        finally
        {
            _lock.Release();
        }

        return exception;
    }

    /// <summary>Runs <paramref name="work"/> on the writer connection under the write lock (no transaction of its own).</summary>
    public Task<T> ExclusiveAsync<T>(string what, Func<SqliteConnection, T> work, CancellationToken cancellationToken) =>
        ExclusiveAsync(what, connection => Task.FromResult(work(connection)), cancellationToken);

    /// <summary>Runs <paramref name="work"/> on the writer connection under the write lock (no transaction of its own).</summary>
    public async Task<T> ExclusiveAsync<T>(string what, Func<SqliteConnection, Task<T>> work, CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            using (Interrupt.OnCancel(_connection, cancellationToken))
            {
                return await work(_connection).ConfigureAwait(false);
            }
        }
        catch (SqliteException e)
        {
            throw SqliteErrors.Translate(e, what, cancellationToken);
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>Waits for a write in flight, so its transaction is not cut off, then closes the writer.</summary>
    public void Dispose()
    {
        _lock.Wait();
        try
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _context.Dispose();
            _audit.Dispose();
            _index.Dispose();
            _connection.Dispose();
        }
        finally
        {
            _lock.Release();
        }
    }

    private static long MicrosecondsSince(long startTimestamp) =>
        (long)Stopwatch.GetElapsedTime(startTimestamp).TotalMicroseconds;

    private static (AuditOutcome Outcome, Exception Typed) Classify(Exception e, long? documentId, CancellationToken cancellationToken) => e switch
    {
        DocumentValidationException => (AuditOutcome.Rejected, e),
        VersionConflictException => (AuditOutcome.Conflict, e),
        DocumentNotFoundException => (AuditOutcome.NotFound, e),
        DbUpdateConcurrencyException => (AuditOutcome.Conflict, new VersionConflictException(documentId ?? 0, -1, null)),
        DbUpdateException { InnerException: SqliteException s } => (AuditOutcome.Failed, SqliteErrors.Translate(s, "The write", cancellationToken)),
        SqliteException s => (AuditOutcome.Failed, SqliteErrors.Translate(s, "The write", cancellationToken)),
        _ => (AuditOutcome.Failed, e),
    };

    /// <summary>Writes one failure row in its own transaction. Never throws: a failing audit must not hide the original error.</summary>
    private void AuditFailureLocked(AuditOperation operation, long? documentId, string actor, AuditOutcome outcome, string error, long started)
    {
        try
        {
            _audit.Append(UtcTicks.Now(), operation, documentId, null, actor, outcome, error, MicrosecondsSince(started), null);
        }
        catch (Exception e) when (e is SqliteException or InvalidOperationException)
        {
            _logger.LogError(e, "Could not audit the failed {Operation} of document {DocumentId}.", operation, documentId);
        }
    }
}
