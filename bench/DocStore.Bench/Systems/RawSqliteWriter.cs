using DocStore.Internal;
using DocStore.Search;
using DocStore.Sql;
using DocStore.Sqlite;
using DocStore.Validation;
using Microsoft.Data.Sqlite;

namespace DocStore.Bench.Systems;

/// <summary>
/// The floor for SQLite writes: the same rows a DocStore create or update writes (document row, tag rows,
/// the replaced version's row, audit row, live FTS5 entry), on one connection with prepared statements,
/// the store writer's settings (journal, sync, page cache, foreign keys), and group commit as the store's: concurrent
/// calls share a transaction, each in a savepoint (one call alone gets a transaction of its own). It skips what only
/// a store needs (validation, change notification, caches), so the store's gap to it is the cost of those
/// guarantees. The full-text index is kept as the
/// store keeps it: no merging inside write transactions (the file's <c>automerge</c> is 0), and the same background
/// merge steps once per second after writes, each taking its turn on the lock; without them FTS5's crisis merges run
/// inside the writes, which the store avoids, and the floor was slower than the store.
/// </summary>
internal sealed class RawSqliteWriter : IDisposable
{
    /// <summary>The store's default (<c>SqliteOptions.FullTextMergeInterval</c>).</summary>
    private static readonly TimeSpan MergeInterval = new SqliteOptions().FullTextMergeInterval;

    private readonly Lock _gate = new();
    private readonly List<QueuedWrite> _queue = [];
    private bool _leading;
    private readonly SqliteConnection _connection;
    private readonly SqliteCommand _insert;
    private readonly ContentColumns _insertContent;
    private readonly SqliteCommand _reads;
    private readonly SqliteCommand _tag;
    private readonly SqliteCommand _current;
    private readonly SqliteCommand _keep;
    private readonly ContentColumns _keepContent;
    // One prepared UPDATE per set of changed columns: like the store's (EF Core sets only what changed), so an index
    // whose columns did not change is not rewritten.
    private readonly Dictionary<string, (SqliteCommand Command, ContentColumns Content)> _updates = new(StringComparer.Ordinal);
    private readonly SqliteCommand _ftsInsert;
    private readonly SqliteCommand _ftsDelete;
    private readonly SqliteCommand _audit;
    private readonly Timer _merger;
    private readonly List<(long Id, StoredContent Content)> _toIndex = [];
    private int _dirty;

    public RawSqliteWriter(string path, string? keyPragma, int walCheckpointPages)
    {
        _connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        _connection.Open();
        using (var pragma = _connection.CreateCommand())
        {
            pragma.CommandText = keyPragma + "PRAGMA journal_mode = WAL; " + StoreConnections.WriterPragmas(DurabilityMode.Normal, TimeSpan.FromSeconds(5), walCheckpointPages);
            pragma.ExecuteNonQuery();
        }

        _insert = Prepare($"INSERT INTO documents (uuid, {ContentColumns.NameList}, title_key, version, created_at, updated_at, updated_by) "
            + $"VALUES ($uuid, {ContentColumns.ParameterList}, $title_key, 1, $now, $now, 'bench') RETURNING id", "$uuid", "$title_key", "$now");
        _reads = Prepare("INSERT INTO document_reads (document_id) VALUES ($id)", "$id");
        _insertContent = new ContentColumns(_insert);
        _tag = Prepare("INSERT INTO document_tags (tag, document_id) VALUES ($tag, $id)", "$tag", "$id");
        _current = Prepare($"SELECT {ContentColumns.NameList}, version FROM documents WHERE id = $id", "$id");
        _keep = Prepare($"INSERT INTO document_versions (document_id, version, {ContentColumns.NameList}, created_at, actor) VALUES ($id, $version, {ContentColumns.ParameterList}, $now, 'bench')", "$id", "$version", "$now");
        _keepContent = new ContentColumns(_keep);
        _ftsInsert = Prepare("INSERT INTO documents_fts (rowid, title, content, tags) VALUES ($id, $title, $content, $tags)", "$id", "$title", "$content", "$tags");
        _ftsDelete = Prepare("INSERT INTO documents_fts (documents_fts, rowid, title, content, tags) VALUES ('delete', $id, $title, $content, $tags)", "$id", "$title", "$content", "$tags");
        _merger = new Timer(_ => Merge(), null, MergeInterval, MergeInterval);
        _audit = Prepare("INSERT INTO audit_log (at, operation, document_id, version, actor, outcome, error, duration_us) VALUES ($now, $operation, $id, $version, 'bench', 'Success', NULL, 0)", "$now", "$operation", "$id", "$version");
    }

    public long Create(NewDocument document) => (long)Grouped(transaction => Insert(document, transaction))!;

    public void CreateMany(IReadOnlyList<NewDocument> documents)
    {
        lock (_gate)
        {
            using var transaction = _connection.BeginTransaction(deferred: false);
            foreach (var document in documents)
            {
                Insert(document, transaction);
            }

            IndexPending();
            transaction.Commit();
            Volatile.Write(ref _dirty, 1);
        }
    }

    public void Update(long id, DocumentUpdate update) => Grouped(transaction => UpdateIn(transaction, id, update));

    /// <summary>
    /// Group commit, as the store does for concurrent callers: the first caller to find no group running runs every write
    /// queued by then in one transaction, each in a savepoint of its own as the store isolates its writes, with the
    /// group's new full-text rows last, and commits once; it goes on while writes keep arriving. A lone write runs alone.
    /// Without it, 8 writers took turns one transaction each and the store beat this floor.
    /// </summary>
    private object? Grouped(Func<SqliteTransaction, object?> write)
    {
        var mine = new QueuedWrite(write);
        bool lead;
        lock (_queue)
        {
            _queue.Add(mine);
            lead = !_leading;
            _leading = true;
        }

        if (lead)
        {
            while (TakeQueued() is { } group)
            {
                RunGroup(group);

                // Lets the callers just released queue their next writes: on 2 cores the leader otherwise found one or
                // two writes queued per group (1.4 on average, against about 4.7 with it).
                Thread.Yield();
            }
        }

        mine.Done.Wait();
        mine.Done.Dispose();
        return mine.Error is { } error ? throw new InvalidOperationException("The floor's write failed.", error) : mine.Result;
    }

    /// <summary>The writes queued so far, or null (and no leader any more) when there are none.</summary>
    private List<QueuedWrite>? TakeQueued()
    {
        lock (_queue)
        {
            if (_queue.Count == 0)
            {
                _leading = false;
                return null;
            }

            var group = new List<QueuedWrite>(_queue);
            _queue.Clear();
            return group;
        }
    }

    private void RunGroup(List<QueuedWrite> group)
    {
        lock (_gate)
        {
            try
            {
                using var transaction = _connection.BeginTransaction(deferred: false);
                var savepoints = group.Count > 1;
                foreach (var write in group)
                {
                    var indexed = _toIndex.Count;
                    if (savepoints)
                    {
                        transaction.Save("w");
                    }

                    try
                    {
                        write.Result = write.Work(transaction);
                        if (savepoints)
                        {
                            transaction.Release("w");
                        }
                    }
                    catch (SqliteException e) when (savepoints)
                    {
                        transaction.Rollback("w");
                        transaction.Release("w");
                        _toIndex.RemoveRange(indexed, _toIndex.Count - indexed);
                        write.Error = e;
                    }
                }

                IndexPending();
                transaction.Commit();
                Volatile.Write(ref _dirty, 1);
            }
#pragma warning disable CA1031 // The group's failure belongs to its callers, each of which rethrows it.
            catch (Exception e)
#pragma warning restore CA1031
            {
                // Under the lock: CreateMany fills and drains the same pending rows.
                _toIndex.Clear();
                foreach (var write in group)
                {
                    write.Error ??= e;
                }
            }
        }

        foreach (var write in group)
        {
            write.Done.Set();
        }
    }

    private object? UpdateIn(SqliteTransaction transaction, long id, DocumentUpdate update)
    {
        Use(transaction, _current, _keep, _ftsDelete, _ftsInsert, _audit);
        _current.Parameters["$id"].Value = id;
        if (FloorUpdate.Current(_current) is not { } current)
        {
            return null;
        }

        var (old, version) = current;
        var next = FloorUpdate.Next(old, update);
        var now = UtcTicks.Now();
        _keep.Parameters["$id"].Value = id;
        _keep.Parameters["$version"].Value = version;
        _keep.Parameters["$now"].Value = now;
        _keepContent.Bind(old);
        _keep.ExecuteNonQuery();
        var (statement, columns) = UpdateOf(old, next);
        statement.Transaction = transaction;
        FloorUpdate.Bind(statement, columns, '$', id, version + 1, now, next).ExecuteNonQuery();
        Audit(now, "Update", id, version + 1);

        // As the store: the full-text entry moves only when its text changed.
        if (old.Title != next.Title || old.Content != next.Content || old.Tags != next.Tags)
        {
            Fts(_ftsDelete, id, old);
            Fts(_ftsInsert, id, next);
        }

        return null;
    }

    public void Dispose()
    {
        _merger.Dispose();
        lock (_gate)
        {
            _connection.Dispose();
        }
    }

    /// <summary>After writes: FTS5's incremental merge in the store's steps (256 pages each) until a step does nothing.</summary>
    private void Merge()
    {
        if (Interlocked.Exchange(ref _dirty, 0) == 0)
        {
            return;
        }

        var worked = true;
        while (worked)
        {
            lock (_gate)
            {
                if (_connection.State != System.Data.ConnectionState.Open)
                {
                    return;
                }

                using var command = _connection.CreateCommand();
                command.CommandText = "SELECT total_changes()";
                var before = (long)command.ExecuteScalar()!;
                command.CommandText = "INSERT INTO documents_fts(documents_fts, rank) VALUES ('merge', 256)";
                command.ExecuteNonQuery();
                command.CommandText = "SELECT total_changes()";
                worked = (long)command.ExecuteScalar()! - before >= 2;
            }
        }
    }

    /// <summary>The prepared UPDATE that sets the columns that differ between <paramref name="old"/> and <paramref name="next"/>.</summary>
    private (SqliteCommand Command, ContentColumns Content) UpdateOf(StoredContent old, StoredContent next)
    {
        var sql = FloorUpdate.Sql(old, next, '$');
        if (!_updates.TryGetValue(sql, out var update))
        {
            var command = Prepare(sql, "$id", "$version", "$now", "$title_key");
            update = (command, new ContentColumns(command));
            _updates[sql] = update;
        }

        return update;
    }

    private static void Use(SqliteTransaction transaction, params SqliteCommand[] commands)
    {
        foreach (var command in commands)
        {
            command.Transaction = transaction;
        }
    }

    private long Insert(NewDocument document, SqliteTransaction transaction)
    {
        Use(transaction, _insert, _reads, _tag, _ftsInsert, _audit);
        var now = UtcTicks.Now();
        var tags = (document.Tags ?? []).Distinct(StringComparer.Ordinal).ToList();
        var content = new StoredContent(
            document.Title, document.Type, document.Status, document.Content, document.Format, document.Language, document.SourcePath,
            StoredTags.Serialize(tags), document.Metadata ?? "{}", DocumentValidator.ContentHash(document.Content), DocumentValidator.Utf8Size(document.Content));
        _insert.Parameters["$uuid"].Value = StoredBytes.FromUuid(Guid.CreateVersion7());
        _insert.Parameters["$title_key"].Value = TitleKey.Of(content.Title);
        _insert.Parameters["$now"].Value = now;
        _insertContent.Bind(content);
        var id = (long)_insert.ExecuteScalar()!;
        _reads.Parameters["$id"].Value = id;
        _reads.ExecuteNonQuery();
        foreach (var tag in tags)
        {
            _tag.Parameters["$tag"].Value = tag;
            _tag.Parameters["$id"].Value = id;
            _tag.ExecuteNonQuery();
        }

        Audit(now, "Create", id, 1);
        _toIndex.Add((id, content));
        return id;
    }

    /// <summary>The transaction's new full-text rows, written last as the store writes them (FTS5 keeps its pending terms until commit).</summary>
    private void IndexPending()
    {
        foreach (var (id, content) in _toIndex)
        {
            Fts(_ftsInsert, id, content);
        }

        _toIndex.Clear();
    }

    private void Fts(SqliteCommand command, long id, in StoredContent content)
    {
        command.Parameters["$id"].Value = id;
        command.Parameters["$title"].Value = content.Title;
        command.Parameters["$content"].Value = content.Content;
        command.Parameters["$tags"].Value = StoredTags.IndexText(content.Tags);
        command.ExecuteNonQuery();
    }

    private void Audit(long now, string operation, long id, int version)
    {
        _audit.Parameters["$now"].Value = now;
        _audit.Parameters["$operation"].Value = operation;
        _audit.Parameters["$id"].Value = id;
        _audit.Parameters["$version"].Value = version;
        _audit.ExecuteNonQuery();
    }

    private SqliteCommand Prepare(string sql, params string[] parameters)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        foreach (var name in parameters)
        {
            command.Parameters.Add(new SqliteParameter(name, null));
        }

        return command;
    }

    /// <summary>A caller's write waiting for the group that runs it.</summary>
    private sealed class QueuedWrite(Func<SqliteTransaction, object?> work)
    {
        public Func<SqliteTransaction, object?> Work { get; } = work;

        public ManualResetEventSlim Done { get; } = new();

        public object? Result { get; set; }

        public Exception? Error { get; set; }
    }
}
