using System.Data.Common;
using DocStore.Data;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace DocStore.Writes;

/// <summary>
/// Runs the write observer (the fast path's caches) around EF Core's COMMIT of a write group: it closes the caches
/// for the changed documents in <c>TransactionCommitting</c> and reopens them once the COMMIT succeeded or failed,
/// or the transaction rolled back. The group's changes travel on its context (<see cref="DocStoreDbContext.PendingCommit"/>).
/// </summary>
internal sealed class CommitHooks : DbTransactionInterceptor
{
    public static readonly CommitHooks Instance = new();

    private CommitHooks()
    {
    }

    public override InterceptionResult TransactionCommitting(DbTransaction transaction, TransactionEventData eventData, InterceptionResult result)
    {
        if (eventData.Context is DocStoreDbContext { PendingCommit: { Observer: { } observer } pending })
        {
            observer.BeforeCommit(pending.Changes, pending.LastAuditId, pending.Change);
            pending.Closed = true;
        }

        return result;
    }

    public override ValueTask<InterceptionResult> TransactionCommittingAsync(DbTransaction transaction, TransactionEventData eventData, InterceptionResult result, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(TransactionCommitting(transaction, eventData, result));

    public override void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => Reopen(eventData.Context, committed: true);

    public override Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Reopen(eventData.Context, committed: true);
        return Task.CompletedTask;
    }

    public override void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => Reopen(eventData.Context, committed: false);

    public override Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Reopen(eventData.Context, committed: false);
        return Task.CompletedTask;
    }

    public override void TransactionFailed(DbTransaction transaction, TransactionErrorEventData eventData) => Reopen(eventData.Context, committed: false);

    public override Task TransactionFailedAsync(DbTransaction transaction, TransactionErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Reopen(eventData.Context, committed: false);
        return Task.CompletedTask;
    }

    /// <summary>Reopens the caches closed for this commit, once (a failed COMMIT is followed by a rollback).</summary>
    private static void Reopen(Microsoft.EntityFrameworkCore.DbContext? context, bool committed)
    {
        if (context is DocStoreDbContext { PendingCommit: { Closed: true, Observer: { } observer } pending })
        {
            pending.Closed = false;
            observer.AfterCommit(pending.Changes, committed);
        }
    }
}
