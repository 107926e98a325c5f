using DocStore.Fast.Caching;
using DocStore.Fast.Sql;
using DocStore.Engine;
using DocStore.Fast.Sqlite;
using DocStore.Sql;

namespace DocStore.Fast.Coherence;

/// <summary>
/// Keeps this instance's caches coherent with other instances writing the same file (other processes, or
/// other stores in this process). Before serving anything from a cache, the read path checks the WAL
/// index's change counter (<see cref="WalChangeCounter"/>); when it moved, <see cref="RefreshAsync"/> reads
/// the audit log's new rows, drops the documents they name from L1, and forgets every cached result. Every
/// write through DocStore leaves an audit row in its own transaction, so nothing committed by another
/// instance is missed: a read that starts after another instance's write returned sees that write.
/// </summary>
internal sealed class InstanceCoherence : ICacheCoherence
{
    /// <summary>More changed documents than this since the last look, and L1 is simply emptied.</summary>
    private const int MaxRowsPerRefresh = 10_000;

    private static readonly string NewRowsSql =
        $"SELECT id, CASE WHEN outcome = 'Success' THEN document_id END FROM audit_log WHERE id > $last ORDER BY id LIMIT {MaxRowsPerRefresh + 1}";

    private const string MaxIdSql = "SELECT ifnull(max(id), 0) FROM audit_log";

    private readonly IStorageEngine _engine;
    private readonly WalChangeCounter _counter;
    private readonly ReadConnectionPool _pool;
    private readonly DocumentCache? _cache;
    private readonly ResultCache _results;
    private readonly SemaphoreSlim _lock = new(1, 1);
    private uint _validated;
    private uint? _ownCommit;
    private long _lastAuditId;
    private long _refreshes;

    public InstanceCoherence(IStorageEngine engine, WalChangeCounter counter, ReadConnectionPool pool, DocumentCache? cache, ResultCache results)
    {
        _engine = engine;
        _counter = counter;
        _pool = pool;
        _cache = cache;
        _results = results;
        _validated = counter.Current;
        var reader = pool.TryRent()!;
        try
        {
            _lastAuditId = reader.Count(MaxIdSql, []);
        }
        finally
        {
            pool.Return(reader);
        }
    }

    /// <summary>Whether nobody committed since the caches were last known to be coherent. The hit path's only cost.</summary>
    public bool IsCurrent => _counter.Current == Volatile.Read(ref _validated);

    /// <summary>Whether the change counter is read from the mapped WAL index (false: the polling fallback).</summary>
    public bool Mapped => _counter.Mapped;

    /// <summary>How many times a change was looked up (each foreign commit, or own commit seen first by a reader).</summary>
    public long Refreshes => Interlocked.Read(ref _refreshes);

    /// <summary>Brings the caches up to date with every commit so far.</summary>
    public async ValueTask<bool> RefreshAsync(CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (IsCurrent)
            {
                return true;
            }

            var reader = _pool.TryRent() ?? await _pool.RentAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                RefreshLocked(reader, cancellationToken);
            }
            finally
            {
                _pool.Return(reader);
            }

            return true;
        }
        finally
        {
            _lock.Release();
        }
    }

    // The WAL index says when anyone committed; no read needs to report a change number.
    public ValueTask SeenAsync(long head, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public void BeforeOwnCommit() => _ownCommit = BeforeOwnCommitCounter();

    public void AfterOwnCommit(bool committed, long lastAuditId, long change)
    {
        if (!(committed && AfterOwnCommit(_ownCommit, lastAuditId)))
        {
            TryRefreshNow();
        }
    }

    /// <summary>
    /// Called by the writer inside its transaction, just before COMMIT: the change counter, when the caches are
    /// coherent with it and it is read from the mapped WAL index; else null. The writer holds SQLite's write lock
    /// from BEGIN IMMEDIATE to COMMIT, so no other connection can commit between this read and the COMMIT.
    /// </summary>
    private uint? BeforeOwnCommitCounter()
    {
        if (!_counter.Mapped)
        {
            return null;
        }

        var current = _counter.Current;
        return current == Volatile.Read(ref _validated) ? current : null;
    }

    /// <summary>
    /// After this instance's own successful COMMIT: a commit bumps the WAL index's change counter by one, so
    /// the counter one past <paramref name="before"/> is this commit, which the writer already applied to the
    /// caches: mark it seen without reading the audit log (that read cost a third of a single write). A commit
    /// by anyone else since then moves the counter further and is still found by the next read; a commit that
    /// moved the counter by more than one (SQLite also rewrites the header when it restarts the log) only costs
    /// a refresh. The audit rows up to <paramref name="lastAuditId"/> are then known too (any earlier row of
    /// another instance was read by the refresh that made the counter current), so the next refresh does not
    /// read this instance's own rows again. Returns false when nothing was marked (the caller then refreshes).
    /// </summary>
    private bool AfterOwnCommit(uint? before, long lastAuditId)
    {
        if (before is not { } b)
        {
            return false;
        }

        if (Interlocked.CompareExchange(ref _validated, unchecked(b + 1), b) != b)
        {
            return false;
        }

        // Only ever raised: a refresh running concurrently may have gone further already.
        var known = Interlocked.Read(ref _lastAuditId);
        while (lastAuditId > known)
        {
            var seen = Interlocked.CompareExchange(ref _lastAuditId, lastAuditId, known);
            if (seen == known)
            {
                break;
            }

            known = seen;
        }

        return IsCurrent;
    }

    /// <summary>
    /// After this instance's own commit: catches up at once if nobody else is refreshing and a reader is
    /// free, so that readers do not each find the counter moved; otherwise the next reader does it.
    /// </summary>
    public void TryRefreshNow()
    {
        if (IsCurrent || !_lock.Wait(0))
        {
            return;
        }

        try
        {
            if (!IsCurrent && _pool.TryRent() is { } reader)
            {
                try
                {
                    RefreshLocked(reader, CancellationToken.None);
                }
                catch (DocStoreException)
                {
                    // The next reader retries and reports it.
                }
                finally
                {
                    _pool.Return(reader);
                }
            }
        }
        finally
        {
            _lock.Release();
        }
    }

    private void RefreshLocked(IFastReader reader, CancellationToken cancellationToken)
    {
        // Read the counter before the audit log: the query then sees at least every commit counted so far,
        // and a commit after this read moves the counter again, so it is not missed.
        var observed = _counter.Current;
        List<(long Id, long? DocumentId)> rows;
        long maxId;
        try
        {
            rows = reader.Read(NewRowsSql, [new SqlArgument("$last", Interlocked.Read(ref _lastAuditId))], r => (r.GetInt64(0), r.IsDBNull(1) ? (long?)null : r.GetInt64(1)));
            maxId = rows.Count > MaxRowsPerRefresh ? reader.Count(MaxIdSql, []) : 0;
        }
        catch (System.Data.Common.DbException e) when (_engine.Translate(e, "Reading", cancellationToken) is { } typed)
        {
            throw typed;
        }

        if (rows.Count > MaxRowsPerRefresh)
        {
            _cache?.Clear();
            Interlocked.Exchange(ref _lastAuditId, maxId);
        }
        else if (rows.Count > 0)
        {
            _cache?.Invalidate(rows.Where(r => r.DocumentId is not null).Select(r => r.DocumentId!.Value));
            Interlocked.Exchange(ref _lastAuditId, Math.Max(rows[^1].Id, Interlocked.Read(ref _lastAuditId)));
        }

        // Results may depend on anything (access counts included): any commit drops them.
        _results.Invalidate();
        Interlocked.Increment(ref _refreshes);
        Volatile.Write(ref _validated, observed);
    }

    public void Dispose() => _counter.Dispose();
}
