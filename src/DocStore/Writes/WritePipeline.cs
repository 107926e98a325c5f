using System.Diagnostics;
using System.Threading.Channels;
using System.Data.Common;
using DocStore.Data;
using DocStore.Engine;
using DocStore.Internal;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Logging;

namespace DocStore.Writes;

/// <summary>
/// The unit of work every write goes through, with group commit: one writer task takes the writes queued at
/// that moment (a lone write does not wait for company) and runs them on one pooled EF Core context in one EF
/// Core transaction (<c>BEGIN IMMEDIATE</c> on the single writer connection), each write in an EF savepoint of its
/// own, so a failing write is rolled back to its savepoint, its entities are detached, and it fails alone with
/// its own typed exception while the others commit. Each write's entities go through the change tracker and
/// <c>SaveChanges</c>; the audit rows of the group (successes and failures) are saved together at its end, then
/// the full-text changes of the writes that succeeded (one FTS5 segment per group instead of one per write).
/// <see cref="CommitHooks"/> runs the <see cref="IWriteObserver"/> around EF Core's COMMIT (caches closed before,
/// reopened after); every write's call returns only after the shared COMMIT, and its changes are announced before
/// it returns. Maintenance that needs the writer alone (access counts, checkpoints, key rotation) runs through
/// <c>ExclusiveAsync</c> between groups.
/// </summary>
internal sealed class WritePipeline : IDisposable
{
    private readonly Channel<Request> _queue = Channel.CreateUnbounded<Request>(new UnboundedChannelOptions { SingleReader = true });
    private readonly IStorageEngine _engine;
    private readonly DbConnection _connection;
    private readonly ILoggerFactory? _loggers;
    // Built on the first write (only the writer task uses it): opening a store then loads no EF Core assembly.
    private WriteContextPool? _contexts;
    private readonly IFullTextIndexWriter _index;
    private readonly Func<string> _actor;
    private readonly ILogger _logger;
    private readonly Action<IReadOnlyList<DocumentChange>> _announce;
    private readonly Task _writer;
    private long _groups;
    private long _groupedWrites;
    private int _disposed;

    public WritePipeline(IStorageEngine engine, DbConnection connection, Func<string> actor, ILoggerFactory? loggers, ILogger logger, Action<IReadOnlyList<DocumentChange>> announce)
    {
        _engine = engine;
        _connection = connection;
        _actor = actor;
        _logger = logger;
        _announce = announce;
        _loggers = loggers;
        _index = engine.CreateIndexWriter(connection);
        // Called, not Task.Run: it returns at its first await on the empty queue, so opening a store does not
        // start the thread pool (5-8 ms of a cold start); the writer's loop continues on pool threads.
        _writer = RunAsync();
    }

    /// <summary>Sees each group's changes around COMMIT (the fast path's caches). Set once, before writes start.</summary>
    public IWriteObserver? Observer { get; set; }

    /// <summary>Called after a group that changed the full-text index committed.</summary>
    public Action? IndexChanged { get; set; }

    /// <summary>The writer connection (for tests that check its settings; only the writer task uses it).</summary>
    public DbConnection Connection => _connection;

    /// <summary>Transactions committed by write groups so far.</summary>
    public long Groups => Interlocked.Read(ref _groups);

    /// <summary>Writes committed in those groups.</summary>
    public long GroupedWrites => Interlocked.Read(ref _groupedWrites);

    /// <summary>Who is writing now (the store's actor provider).</summary>
    public string CurrentActor() => _actor();

    /// <summary>
    /// Queues one write and returns its result once the group it joined has committed, after announcing its
    /// changes (on the caller's side, so a change handler never holds up the writer).
    /// </summary>
    public async Task<T> RunAsync<T>(AuditOperation operation, long? documentId, Func<UnitOfWork, CancellationToken, T> body, CancellationToken cancellationToken)
    {
        var request = new Write(operation, documentId, _actor(), Stopwatch.GetTimestamp(), (work, ct) => body(work, ct), null, cancellationToken);
        var (result, changes) = await Enqueue(request).ConfigureAwait(false);
        if (changes is { Count: > 0 })
        {
            _announce(changes);
        }

        return (T)result!;
    }

    /// <summary>Audits a write that failed validation before it reached the writer, and returns the exception to throw.</summary>
    public async Task<DocumentValidationException> RejectAsync(AuditOperation operation, long? documentId, List<ValidationError> errors, long started)
    {
        var exception = new DocumentValidationException(errors);
        try
        {
            await Enqueue(new Write(operation, documentId, _actor(), started, null, exception, CancellationToken.None)).ConfigureAwait(false);
        }
        catch (DocumentValidationException)
        {
            // The rejection was audited; the caller throws it.
        }
        catch (ObjectDisposedException)
        {
            // A store closing while rejecting: the caller still throws the validation error.
        }

        return exception;
    }

    /// <summary>Appends one audit row in a transaction of its own. Only for the writer task (inside an exclusive job, or for a failed group).</summary>
    public void AuditAlone(AuditOperation operation, long? documentId, string actor, AuditOutcome outcome, string? error, long durationMicroseconds)
    {
        using var db = Contexts().Create();
        AuditWriter.Add(db, UtcTicks.Now(), operation, documentId, null, actor, outcome, error, durationMicroseconds);
        db.SaveChanges();
    }

    /// <summary>
    /// Saves what <paramref name="work"/> adds to a write context, in one transaction of its own on the writer, between
    /// groups. For bulk loads of rows that were validated and audited where they came from: no hooks, no audit row.
    /// </summary>
    public Task<T> LoadAsync<T>(string what, Func<DocStoreDbContext, T> work, CancellationToken cancellationToken) =>
        ExclusiveAsync(
            what,
            connection =>
            {
                using var transaction = _engine.BeginWrite(connection);
                using var db = Contexts().Create();
                db.Database.UseTransaction(transaction);
                var result = work(db);
                db.SaveChanges();
                transaction.Commit();
                return result;
            },
            cancellationToken);

    /// <summary>Runs <paramref name="work"/> on the writer connection between groups (no transaction of its own).</summary>
    public Task<T> ExclusiveAsync<T>(string what, Func<DbConnection, T> work, CancellationToken cancellationToken) =>
        ExclusiveAsync(what, connection => Task.FromResult(work(connection)), cancellationToken);

    /// <summary>Runs <paramref name="work"/> on the writer connection between groups (no transaction of its own).</summary>
    public async Task<T> ExclusiveAsync<T>(string what, Func<DbConnection, Task<T>> work, CancellationToken cancellationToken)
    {
        var request = new Exclusive(what, async connection => await work(connection).ConfigureAwait(false), cancellationToken);
        return (T)(await Enqueue(request).ConfigureAwait(false)).Result!;
    }

    /// <summary>Lets queued writes finish, stops the writer task, then closes the writer.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _queue.Writer.TryComplete();
        _writer.GetAwaiter().GetResult();
        _index.Dispose();
        _connection.Dispose();
    }

    private const string SavepointName = "w";

    /// <summary>
    /// Opens the writer again when its connection broke (a server restarted or dropped it: PostgreSQL). The group that
    /// met the break failed with a typed error; the next one gets a new connection instead of failing for good. A
    /// file's connection does not break this way.
    /// </summary>
    private void Reconnect()
    {
        if (_connection.State != System.Data.ConnectionState.Open)
        {
            _connection.Close();
            _connection.Open();
        }
    }

    private WriteContextPool Contexts() => _contexts ??= new WriteContextPool(_engine, _connection, _loggers);

    private static long MicrosecondsSince(long startTimestamp) =>
        (long)Stopwatch.GetElapsedTime(startTimestamp).TotalMicroseconds;

    private (AuditOutcome Outcome, Exception Typed) Classify(Exception e, long? documentId, CancellationToken cancellationToken) => e switch
    {
        DocumentValidationException => (AuditOutcome.Rejected, e),
        VersionConflictException => (AuditOutcome.Conflict, e),
        DocumentNotFoundException => (AuditOutcome.NotFound, e),
        DbUpdateConcurrencyException => (AuditOutcome.Conflict, new VersionConflictException(documentId ?? 0, -1, null)),
        _ => (AuditOutcome.Failed, _engine.Translate(e, "The write", cancellationToken) ?? e),
    };

    private Task<(object? Result, IReadOnlyList<DocumentChange>? Changes)> Enqueue(Request request)
    {
        if (Volatile.Read(ref _disposed) != 0 || !_queue.Writer.TryWrite(request))
        {
            return Task.FromException<(object?, IReadOnlyList<DocumentChange>?)>(new ObjectDisposedException(nameof(LocalStorageSystem)));
        }

        return request.Done.Task;
    }

    /// <summary>The writer task: one group (or one exclusive job) at a time, for as long as the store is open.</summary>
    private async Task RunAsync()
    {
        var reader = _queue.Reader;
        var maxGroup = _engine.MaxWritesPerGroup;
        var group = new List<Write>(maxGroup);
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            if (reader.TryPeek(out var next) && next is Exclusive)
            {
                reader.TryRead(out _);
                await RunExclusiveAsync((Exclusive)next).ConfigureAwait(false);
                continue;
            }

            group.Clear();
            while (group.Count < maxGroup && reader.TryPeek(out next) && next is Write write)
            {
                reader.TryRead(out _);
                if (write.CancellationToken.IsCancellationRequested)
                {
                    write.Done.TrySetCanceled(write.CancellationToken);
                    continue;
                }

                group.Add(write);
            }

            if (group.Count > 0)
            {
                try
                {
                    RunGroup(group);
                }
#pragma warning disable CA1031 // The writer serves every later write: a failure it did not foresee ends this group, never the loop.
                catch (Exception e)
#pragma warning restore CA1031
                {
                    _logger.LogError(e, "The writer failed outside the steps of a write; the writes of its group still waiting get the error.");
                    var failure = new StorageException("The write failed in the store's writer: " + e.Message, StorageErrorKind.Other, e);
                    foreach (var write in group)
                    {
                        write.Done.TrySetException(failure);
                    }
                }
            }
        }
    }

    private async Task RunExclusiveAsync(Exclusive job)
    {
        try
        {
            job.CancellationToken.ThrowIfCancellationRequested();
            Reconnect();
            using (_engine.InterruptOnCancel(_connection, job.CancellationToken))
            {
                job.Done.TrySetResult((await job.Work(_connection).ConfigureAwait(false), null));
            }
        }
        catch (DbException e)
        {
            job.Done.TrySetException(_engine.Translate(e, job.What, job.CancellationToken) ?? e);
        }
#pragma warning disable CA1031 // Any failure belongs to the job's caller, never to the writer task.
        catch (Exception e)
#pragma warning restore CA1031
        {
            job.Done.TrySetException(e);
        }
    }

    /// <summary>Runs a group of writes in one EF Core transaction, each in its own savepoint when there are several.</summary>
    private void RunGroup(List<Write> group)
    {
        var outcomes = new (UnitOfWork? Work, object? Result, Exception? Error)[group.Count];
        var changes = new List<DocumentChange>();
        DocStoreDbContext? db = null;
        try
        {
            Reconnect();
            db = Contexts().Create();

            // BEGIN IMMEDIATE: the write lock is taken up front, so a group never fails to upgrade a read lock. EF Core
            // commits it (running the interceptors); it rolls back only what it owns, so the store disposes it.
            using var engineTransaction = _engine.BeginWrite(_connection);
            using var transaction = db.Database.UseTransaction(engineTransaction)!;
            var savepoints = group.Count > 1;
            for (var i = 0; i < group.Count; i++)
            {
                outcomes[i] = Execute(group[i], db, transaction, savepoints);
            }

            // Each write saved its own audit rows; the failures (whose savepoints were rolled back) are audited here, in one save.
            long lastAuditId = 0;
            AuditEntryEntity? lastFailure = null;
            for (var i = 0; i < group.Count; i++)
            {
                var write = group[i];
                if (outcomes[i].Work is { } work)
                {
                    lastAuditId = Math.Max(lastAuditId, work.LastAuditId);
                    changes.AddRange(work.Changes);
                }
                else if (outcomes[i].Error is { } error)
                {
                    var (outcome, typed) = Classify(error, write.DocumentId, write.CancellationToken);
                    outcomes[i].Error = typed;
                    lastFailure = AuditWriter.Add(db, UtcTicks.Now(), write.Operation, write.DocumentId, null, write.Actor, outcome, typed.Message, MicrosecondsSince(write.Started));
                }
            }

            if (lastFailure is not null)
            {
                db.SaveChanges();
                lastAuditId = Math.Max(lastAuditId, lastFailure.Id);
            }

            // The index changes of the writes that succeeded, together: one FTS5 segment for the group.
            foreach (var (work, _, _) in outcomes)
            {
                if (work is not null)
                {
                    _index.Apply(work.IndexChanges, engineTransaction);
                }
            }

            // The commit's change number, where the engine announces commits to other instances: the last statement.
            var change = changes.Count > 0 ? _engine.StampCommit(engineTransaction, changes) : 0;

            // Past this point the writes are decided: CommitHooks closes the caches around COMMIT.
            if (changes.Count > 0 && Observer is { } observer)
            {
                db.PendingCommit = new PendingCommit(observer, changes, lastAuditId, change);
            }

            transaction.Commit();
        }
        catch (Exception e)
        {
            // The group as a whole failed (the audit or index step, the commit, the disk): no write of it committed.
            FailAll(group, outcomes, e);
            return;
        }
        finally
        {
            if (db is not null)
            {
                db.PendingCommit = null;
                db.Dispose();
            }
        }

        Interlocked.Increment(ref _groups);
        var succeeded = outcomes.Count(o => o.Work is not null);
        Interlocked.Add(ref _groupedWrites, succeeded);
        if (succeeded > 0 && WriteMetrics.GroupSize.Enabled)
        {
            WriteMetrics.GroupSize.Record(succeeded);
        }
        for (var i = 0; i < group.Count; i++)
        {
            var (work, result, error) = outcomes[i];
            if (work is not null)
            {
                group[i].Done.TrySetResult((result, work.Changes));
            }
            else
            {
                group[i].Done.TrySetException(error!);
            }
        }

        // After the callers have their results: the writes are committed whatever this does.
        if (changes.Count > 0)
        {
            IndexChanged?.Invoke();
        }
    }

    /// <summary>
    /// One write of a group: its body, its entities saved, in its own savepoint. Its entities are detached afterwards,
    /// whether it succeeded (they are saved) or failed (rolled back to its savepoint, so nothing of it is left to save).
    /// </summary>
    private (UnitOfWork? Work, object? Result, Exception? Error) Execute(Write write, DocStoreDbContext db, IDbContextTransaction transaction, bool savepoint)
    {
        if (write.Rejection is { } rejection)
        {
            return (null, null, rejection);
        }

        if (savepoint)
        {
            transaction.CreateSavepoint(SavepointName);
        }

        try
        {
            write.CancellationToken.ThrowIfCancellationRequested();
            var work = new UnitOfWork(db, write.Actor, UtcTicks.Now(), write.Started) { LockRowSql = _engine.LockRowSql };

            // Interrupting a statement rolls back the whole transaction, so only a write alone in its group may be interrupted.
            object? result;
            using (savepoint ? default : _engine.InterruptOnCancel(_connection, write.CancellationToken))
            {
                result = write.Body!(work, write.CancellationToken);
                work.Save();
            }

            write.CancellationToken.ThrowIfCancellationRequested();
            if (savepoint)
            {
                transaction.ReleaseSavepoint(SavepointName);
            }

            return (work, result, null);
        }
        catch (Exception e) when (savepoint && e is not OutOfMemoryException)
        {
            transaction.RollbackToSavepoint(SavepointName);
            transaction.ReleaseSavepoint(SavepointName);
            return (null, null, e);
        }
        finally
        {
            db.ChangeTracker.Clear();
        }
    }

    /// <summary>Fails every write of a group that could not commit, auditing each failure in a transaction of its own.</summary>
    private void FailAll(List<Write> group, (UnitOfWork? Work, object? Result, Exception? Error)[] outcomes, Exception groupError)
    {
        for (var i = 0; i < group.Count; i++)
        {
            var write = group[i];
            var error = outcomes[i].Error is { } own && outcomes[i].Work is null ? own : groupError;
            var (outcome, typed) = error is DocStoreException or OperationCanceledException ? (OutcomeOf(error), error) : Classify(error, write.DocumentId, write.CancellationToken);
            AuditFailure(write, outcome, typed.Message);
            write.Done.TrySetException(typed);
        }
    }

    private static AuditOutcome OutcomeOf(Exception e) => e switch
    {
        DocumentValidationException => AuditOutcome.Rejected,
        VersionConflictException => AuditOutcome.Conflict,
        DocumentNotFoundException => AuditOutcome.NotFound,
        _ => AuditOutcome.Failed,
    };

    /// <summary>Writes one failure row in its own transaction. Never throws: a failing audit must not hide the original error.</summary>
    private void AuditFailure(Write write, AuditOutcome outcome, string error)
    {
        try
        {
            AuditAlone(write.Operation, write.DocumentId, write.Actor, outcome, error, MicrosecondsSince(write.Started));
        }
        catch (Exception e) when (e is DbException or InvalidOperationException or DbUpdateException)
        {
            _logger.LogError(e, "Could not audit the failed {Operation} of document {DocumentId}.", write.Operation, write.DocumentId);
        }
    }

    /// <summary>Something for the writer task to do; completed (on another thread) when done.</summary>
    private abstract class Request(CancellationToken cancellationToken)
    {
        public TaskCompletionSource<(object? Result, IReadOnlyList<DocumentChange>? Changes)> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public CancellationToken CancellationToken { get; } = cancellationToken;
    }

    /// <summary>A write (or the audit of a write rejected by validation, when <see cref="Rejection"/> is set).</summary>
    private sealed class Write(AuditOperation operation, long? documentId, string actor, long started, Func<UnitOfWork, CancellationToken, object?>? body, Exception? rejection, CancellationToken cancellationToken)
        : Request(cancellationToken)
    {
        public AuditOperation Operation { get; } = operation;

        public long? DocumentId { get; } = documentId;

        public string Actor { get; } = actor;

        public long Started { get; } = started;

        public Func<UnitOfWork, CancellationToken, object?>? Body { get; } = body;

        public Exception? Rejection { get; } = rejection;
    }

    /// <summary>Work that needs the writer connection alone.</summary>
    private sealed class Exclusive(string what, Func<DbConnection, Task<object?>> work, CancellationToken cancellationToken)
        : Request(cancellationToken)
    {
        public string What { get; } = what;

        public Func<DbConnection, Task<object?>> Work { get; } = work;
    }
}
