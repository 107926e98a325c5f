using System.Collections.Concurrent;
using System.Globalization;
using DocStore.Fast.Caching;
using DocStore.Fast.Coherence;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace DocStore.PostgreSql;

/// <summary>
/// Keeps one instance's caches coherent with every instance's commits on PostgreSQL, through the change feed
/// (<see cref="PostgreSqlSchema"/>): each commit takes the next change number, logs the documents it changed and
/// announces the number with NOTIFY. A listening connection (LISTEN first, then a read of the head) reads the log
/// when announcements come, so other instances' writes usually reach this cache within milliseconds. Which documents
/// changed always comes from the log: anyone connected may NOTIFY. Notifications can be lost
/// (one sent while the listener is down is never delivered), so they only ever invalidate: what lets the cache serve
/// is a confirmation, a read of the head (a heartbeat every half <see cref="PostgreSqlOptions.MaxStaleness"/>, and
/// every catch-up), taken no longer than <c>MaxStaleness</c> ago. With the listener down no hit is served. A gap in
/// the numbers is filled from the change log; more than 10,000 missing changes and the caches are emptied instead.
/// <see cref="PostgreSqlOptions.Strict"/> confirms on every call.
/// </summary>
internal sealed class PostgreSqlCoherence : ICacheCoherence
{
    /// <summary>More changes than this to catch up with, and the document cache is simply emptied.</summary>
    public const int MaxCatchUp = 10_000;

    /// <summary>The longest the listener waits for a notification before it looks whether the store is closing.</summary>
    private const int WakeMilliseconds = 200;

    private readonly string _listenerConnection;
    private readonly NpgsqlDataSource _dataSource;
    private readonly DocumentCache? _cache;
    private readonly ResultCache _results;
    private readonly long _staleMilliseconds;
    private readonly bool _strict;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _lock = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<string> _notifications = new();
    private readonly Thread _listener;
    private long _known;
    private long _validUntil;
    private long _refreshes;
    private volatile bool _listening;

    public PostgreSqlCoherence(PostgreSqlEngine engine, DocumentCache? cache, ResultCache results, PostgreSqlOptions options, ILogger logger)
    {
        _listenerConnection = engine.ListenerConnectionString;
        _dataSource = engine.DataSource;
        _cache = cache;
        _results = results;
        _staleMilliseconds = (long)options.MaxStaleness.TotalMilliseconds;
        _strict = options.Strict;
        _logger = logger;

        // The caches start empty: they are current with the head as it is now.
        using (var connection = _dataSource.OpenConnection())
        {
            _known = ReadHead(connection);
        }

        _listener = new Thread(Listen) { IsBackground = true, Name = "DocStore change listener" };
        _listener.Start();
    }

    /// <summary>Test hook: while set, the listener neither applies notifications nor confirms (a connection that hangs).</summary>
    internal volatile bool Stalled;

    /// <summary>Test hook: drops a notification instead of applying it when it returns true (fault injection).</summary>
    internal Func<long, bool>? DropNotification { get; set; }

    /// <summary>The last change number the caches have applied.</summary>
    internal long Known => Interlocked.Read(ref _known);

    /// <summary>Whether the listening connection is up and has confirmed the caches at least once since it connected.</summary>
    internal bool Listening => _listening;

    public bool IsCurrent => !_strict && Environment.TickCount64 < Volatile.Read(ref _validUntil);

    public long Refreshes => Interlocked.Read(ref _refreshes);

    public async ValueTask<bool> RefreshAsync(CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (IsCurrent)
            {
                // Another caller confirmed while this one waited.
                return true;
            }

            var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using (connection.ConfigureAwait(false))
            {
                // The head as of this read: every write that returned before it is at or below it. It confirms the
                // caches for others too, but only while the listener is up.
                ConfirmLocked(connection, extend: _listening);
            }

            return true;
        }
        finally
        {
            _lock.Release();
        }
    }

    public async ValueTask SeenAsync(long head, CancellationToken cancellationToken)
    {
        if (head <= Known)
        {
            return;
        }

        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (head > Known)
            {
                var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
                await using (connection.ConfigureAwait(false))
                {
                    CatchUpLocked(head, connection);
                }
            }
        }
        finally
        {
            _lock.Release();
        }
    }

    public void BeforeOwnCommit()
    {
    }

    public void AfterOwnCommit(bool committed, long lastAuditId, long change)
    {
        // The writer applied its own commit to the caches already: when it is the next number, it is known.
        if (committed && change > 0)
        {
            Interlocked.CompareExchange(ref _known, change, change - 1);
        }
    }

    // The heartbeat confirms on its own schedule; commits outside the write pipeline (read counts) are not announced.
    public void TryRefreshNow()
    {
    }

    public void Dispose()
    {
        // The loop sees the cancellation at its next wake-up, at most WakeMilliseconds away.
        _stop.Cancel();
        if (_listener.Join(TimeSpan.FromSeconds(10)))
        {
            _stop.Dispose();
        }
    }

    /// <summary>
    /// The listener's loop, on a thread of its own with Npgsql's synchronous calls: confirmations must not wait for a
    /// thread-pool thread when callers keep every one busy (the caches would then stop serving for no reason).
    /// </summary>
    private void Listen()
    {
        var token = _stop.Token;
        var heartbeat = Math.Max(10, _staleMilliseconds / 2);
        while (!token.IsCancellationRequested)
        {
            try
            {
                using var connection = new NpgsqlConnection(_listenerConnection);
                connection.Open();
                connection.Notification += (_, e) => _notifications.Enqueue(e.Payload);
                using (var listen = new NpgsqlCommand($"LISTEN {PostgreSqlSchema.Channel}", connection))
                {
                    listen.ExecuteNonQuery();
                }

                // LISTEN is in force; now the head: nothing committed after this read can go unannounced.
                Locked(() => ConfirmLocked(connection));
                _listening = true;
                var nextBeat = Environment.TickCount64 + heartbeat;
                while (!token.IsCancellationRequested)
                {
                    // Notifications as they come; a heartbeat on schedule, however many arrive meanwhile.
                    var wait = nextBeat - Environment.TickCount64;
                    if (wait > 0)
                    {
                        connection.Wait((int)Math.Min(wait, WakeMilliseconds));
                    }

                    if (Stalled)
                    {
                        Thread.Sleep(10);
                        continue;
                    }

                    if (_notifications.IsEmpty && Environment.TickCount64 < nextBeat)
                    {
                        continue;
                    }

                    Locked(() =>
                    {
                        if (!_notifications.IsEmpty)
                        {
                            ApplyNotificationsLocked(connection);
                        }

                        if (Environment.TickCount64 >= nextBeat)
                        {
                            ConfirmLocked(connection);
                            nextBeat = Environment.TickCount64 + heartbeat;
                        }
                    });
                }
            }
#pragma warning disable CA1031 // An exception would end the process from this thread: whatever fails, the listener starts again.
            catch (Exception e)
#pragma warning restore CA1031
            {
                // Down or unconfirmed: no cache hit is served until the listener is back and has read the head.
                _listening = false;
                Volatile.Write(ref _validUntil, 0);
                if (!token.IsCancellationRequested)
                {
                    _logger.LogWarning(e, "The change listener lost its connection; cached reads are off until it is back.");
                    token.WaitHandle.WaitOne(200);
                }
            }
        }

        _listening = false;
        Volatile.Write(ref _validUntil, 0);
    }

    private void Locked(Action action)
    {
        _lock.Wait(_stop.Token);
        try
        {
            action();
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>Reads the head, catches up to it, and (when <paramref name="extend"/>) lets the caches serve until <c>MaxStaleness</c> after the read began.</summary>
    private void ConfirmLocked(NpgsqlConnection connection, bool extend = true)
    {
        var started = Environment.TickCount64;
        CatchUpLocked(ReadHead(connection), connection);
        if (extend)
        {
            Volatile.Write(ref _validUntil, started + _staleMilliseconds);
        }
    }

    /// <summary>
    /// Reads the log once for the notifications that came in, unless each names a change already applied. A payload
    /// only says that a change may be unseen: anyone connected may NOTIFY on the channel (it needs no privilege on any
    /// table), so which documents changed is read from the log, which only a writer can fill.
    /// </summary>
    private void ApplyNotificationsLocked(NpgsqlConnection connection)
    {
        var unseen = false;
        while (_notifications.TryDequeue(out var payload))
        {
            // The change number; earlier versions sent the ids after a ':'. Anything else counts as unseen.
            var colon = payload.IndexOf(':', StringComparison.Ordinal);
            if (long.TryParse(colon < 0 ? payload : payload[..colon], NumberStyles.None, CultureInfo.InvariantCulture, out var change)
                && (DropNotification?.Invoke(change) == true || change <= Known))
            {
                continue;
            }

            unseen = true;
        }

        if (unseen)
        {
            ConfirmLocked(connection);
        }
    }

    private void CatchUpLocked(long head, NpgsqlConnection connection)
    {
        var known = Known;
        if (head <= known)
        {
            return;
        }

        var rows = new List<(long Change, long[] Ids)>();
        using (var command = new NpgsqlCommand("SELECT change, document_ids FROM docstore_change_log WHERE change > @known AND change <= @head ORDER BY change LIMIT @limit", connection))
        {
            command.Parameters.AddWithValue("known", known);
            command.Parameters.AddWithValue("head", head);
            command.Parameters.AddWithValue("limit", MaxCatchUp + 1);
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                rows.Add((reader.GetInt64(0), reader.GetFieldValue<long[]>(1)));
            }
        }

        // Every number up to the head must be in the log; a log pruned past them, or too long a gap, empties the cache.
        if (rows.Count > MaxCatchUp || rows.Count < head - known)
        {
            _cache?.Clear();
        }
        else
        {
            _cache?.Invalidate(rows.SelectMany(r => r.Ids));
        }

        _results.Invalidate();
        Raise(head);
        Interlocked.Increment(ref _refreshes);
    }

    /// <summary>Moves the known change number forward to <paramref name="change"/>, never back (an own commit may have gone further).</summary>
    private void Raise(long change)
    {
        var known = Known;
        while (change > known)
        {
            var seen = Interlocked.CompareExchange(ref _known, change, known);
            if (seen == known)
            {
                return;
            }

            known = seen;
        }
    }

    private static long ReadHead(NpgsqlConnection connection)
    {
        using var command = new NpgsqlCommand("SELECT head FROM docstore_changes", connection);
        return (long)command.ExecuteScalar()!;
    }
}
