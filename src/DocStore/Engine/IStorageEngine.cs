using System.Data.Common;
using DocStore.Internal;
using DocStore.Sql;
using DocStore.Writes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace DocStore.Engine;

/// <summary>
/// The engine seam: everything a store does that depends on the database engine (connections and their settings,
/// schema and migrations, full-text SQL, maintenance, encryption, error codes) goes through one of these, so the
/// write path's logic, validation, the caches and the public API name no engine type. One instance per open store.
/// The SQLite engine lives in the <c>Sqlite</c> folder.
/// </summary>
internal interface IStorageEngine : IDisposable
{
    /// <summary>Where the store lives, for messages (a file's absolute path).</summary>
    string Location { get; }

    /// <summary>Whether the store's data is encrypted, so key rotation applies.</summary>
    bool Encrypted { get; }

    /// <summary>
    /// Opens the single writer connection, with the schema created, checked, or upgraded; a file the engine refuses
    /// is left as it was, and the failure is a typed exception.
    /// </summary>
    DbConnection OpenWriter(ILogger logger);

    /// <summary>Points EF Core at this engine: on <paramref name="writer"/> (the write contexts), or on pooled read connections when null.</summary>
    void UseEngine(DbContextOptionsBuilder options, DbConnection? writer);

    /// <summary>The most writes one group commit holds (each in its own savepoint).</summary>
    int MaxWritesPerGroup { get; }

    /// <summary>
    /// A statement (its one parameter <c>{0}</c>, the document id) that locks a document's row until the write commits,
    /// run before a write reads the row it changes, so that writers of several instances take turns on a document;
    /// null when <see cref="BeginWrite"/> locks the whole store already.
    /// </summary>
    string? LockRowSql { get; }

    /// <summary>Starts a write transaction that holds the write lock from its first statement.</summary>
    DbTransaction BeginWrite(DbConnection writer);

    /// <summary>Starts a read transaction: every statement in it sees one snapshot, and it takes no write lock.</summary>
    DbTransaction BeginSnapshot(DbConnection connection);

    /// <summary>Makes cancellation of <paramref name="cancellationToken"/> stop the statement running on <paramref name="connection"/>.</summary>
    CancellationTokenRegistration InterruptOnCancel(DbConnection connection, CancellationToken cancellationToken);

    /// <summary>The typed exception for an engine error raised while <paramref name="operation"/> ran; null when <paramref name="error"/> is not the engine's.</summary>
    Exception? Translate(Exception error, string operation, CancellationToken cancellationToken);

    /// <summary>
    /// Whether <paramref name="error"/> says the connection to the database broke (a server restarted under it). The
    /// engine then drops its idle connections, which broke with it, so a read retried once runs on a new one. Never true
    /// for a file the process opens itself.
    /// </summary>
    bool ConnectionLost(Exception error);

    /// <summary>As <see cref="Translate"/>, for a search, where an advanced query the engine refuses is the caller's error.</summary>
    Exception? TranslateSearch(Exception error, SearchQuery query, CancellationToken cancellationToken);

    /// <summary>
    /// A search's SQL: the total and one ranked page (the document columns of <see cref="Sql.DocumentColumns"/>, then the
    /// score, lower first), and the FTS5 query its snippets are built with (<see cref="Search.SearchRunner"/>).
    /// </summary>
    (QueryText Sql, string SnippetMatch) BuildSearch(SearchQuery query);

    /// <summary>A query of one column named <c>Value</c>: how many bytes the store's data takes on disk.</summary>
    string DatabaseBytesSql { get; }

    /// <summary>
    /// The write transaction's last statement before COMMIT, for an engine whose instances learn of each other's
    /// commits by number: takes the next number of the store's change sequence, records the changed documents under
    /// it and announces it. Returns the number; 0 for an engine with no sequence (SQLite's WAL index tells instances).
    /// </summary>
    long StampCommit(DbTransaction transaction, IReadOnlyList<DocumentChange> changes);

    /// <summary>Writes the full-text index changes of a write group, in its transaction, on the writer.</summary>
    IFullTextIndexWriter CreateIndexWriter(DbConnection writer);

    /// <summary>The background upkeep of the full-text index, given the pipeline to run its steps on.</summary>
    IIndexMaintenance StartIndexMaintenance(WritePipeline pipeline, ILogger logger);

    /// <summary>
    /// The write of read counts (adding them and moving last-read times forward, in one statement), prepared on the
    /// caller's thread; the returned job runs on the writer, between write groups.
    /// </summary>
    Func<DbConnection, int> PrepareAccessCounts(IReadOnlyList<AccessUpdate> updates, long readUtcTicks);

    /// <summary>After rows were loaded with their ids as they were elsewhere (a copy): builds what the engine derives from them (the full-text index, the next ids), on the writer.</summary>
    void FinishLoad(DbConnection writer);

    /// <summary>Optimizes the full-text index and the query planner's statistics, optionally compacting the file, on the writer.</summary>
    void Optimize(DbConnection writer, bool vacuum);

    /// <summary>Moves committed changes into the main file and trims the log, on the writer.</summary>
    void Checkpoint(DbConnection writer);

    /// <summary>Re-encrypts the store with <paramref name="newKey"/> on the writer, with every reader closed (the caller holds them off).</summary>
    void RotateKey(DbConnection writer, EncryptionKey newKey);

    /// <summary>Writes a consistent copy of the store to <paramref name="destinationPath"/>.</summary>
    void Backup(string destinationPath, CancellationToken cancellationToken);

    /// <summary>Checks the store's data and indexes.</summary>
    VerificationReport Verify(CancellationToken cancellationToken);

    /// <summary>Closes the idle pooled read connections (after a key rotation, and when the store closes).</summary>
    void ReleaseReadConnections();
}
