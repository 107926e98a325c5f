namespace DocStore;

/// <summary>
/// The API of a document store. <see cref="LocalStorageSystem"/> implements it through EF Core;
/// the fast path's <c>OptimizedStorageSystem</c> implements it too, with identical results.
/// </summary>
/// <remarks>All members are thread-safe. Writes are serialised in-process; reads run concurrently.</remarks>
public interface IDocumentStore : IAsyncDisposable, IDisposable
{
    /// <summary>Raised after every committed write, before the write's call returns. Handlers must be quick and must not throw.</summary>
    event EventHandler<DocumentChangedEventArgs>? DocumentChanged;

    /// <summary>Validates and creates one document with its first version and an audit row, in one transaction.</summary>
    /// <param name="document">What to store.</param>
    /// <param name="cancellationToken">Cancels before the commit.</param>
    /// <returns>The stored document (version 1).</returns>
    /// <exception cref="DocumentValidationException">A field is invalid; nothing was written.</exception>
    Task<Document> CreateAsync(NewDocument document, CancellationToken cancellationToken = default);

    /// <summary>Validates every document, then creates all of them in one transaction, or none.</summary>
    /// <param name="documents">What to store.</param>
    /// <param name="cancellationToken">Cancels before the commit.</param>
    /// <returns>The stored documents, in input order.</returns>
    /// <exception cref="DocumentValidationException">Any field of any document is invalid (fields named <c>[i].Field</c>); nothing was written.</exception>
    Task<IReadOnlyList<Document>> CreateManyAsync(IEnumerable<NewDocument> documents, CancellationToken cancellationToken = default);

    /// <summary>
    /// Creates documents from a stream of any length, validated one by one and committed in batches (one
    /// transaction each, so memory holds one batch): a million documents import in bounded memory. Batches
    /// committed before a failure stay committed.
    /// </summary>
    /// <param name="documents">The documents, read once.</param>
    /// <param name="options">Batch size, what to skip, progress; defaults when null.</param>
    /// <param name="cancellationToken">Stops between documents; batches already committed stay.</param>
    /// <returns>How many were created, skipped and rejected.</returns>
    /// <exception cref="DocumentValidationException">A document is invalid and <see cref="ImportOptions.SkipInvalid"/> is false (fields named <c>[i].Field</c>).</exception>
    Task<ImportResult> ImportAsync(IAsyncEnumerable<NewDocument> documents, ImportOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Applies a partial update as a new version. An update that changes nothing returns the document as it is.</summary>
    /// <param name="id">The document.</param>
    /// <param name="update">The fields to change, and optionally the version expected.</param>
    /// <param name="cancellationToken">Cancels before the commit.</param>
    /// <returns>The updated document.</returns>
    /// <exception cref="DocumentNotFoundException">No such document, or it is deleted.</exception>
    /// <exception cref="VersionConflictException">The stored version is not <see cref="DocumentUpdate.ExpectedVersion"/>.</exception>
    /// <exception cref="DocumentValidationException">A field is invalid.</exception>
    Task<Document> UpdateAsync(long id, DocumentUpdate update, CancellationToken cancellationToken = default);

    /// <summary>Deletes a document: soft (status Deleted, restorable) by default, or hard (gone with its history).</summary>
    /// <param name="id">The document.</param>
    /// <param name="mode">Soft or hard.</param>
    /// <param name="cancellationToken">Cancels before the commit.</param>
    /// <returns>True if a document was deleted; false if there was none to delete.</returns>
    Task<bool> DeleteAsync(long id, DeleteMode mode = DeleteMode.Soft, CancellationToken cancellationToken = default);

    /// <summary>Writes an earlier version's content, tags, metadata and status back as a new version. Works on soft-deleted documents too (undelete).</summary>
    /// <param name="id">The document.</param>
    /// <param name="version">The version to restore.</param>
    /// <param name="cancellationToken">Cancels before the commit.</param>
    /// <returns>The document at its new version.</returns>
    /// <exception cref="DocumentNotFoundException">No such document or version.</exception>
    Task<Document> RestoreVersionAsync(long id, int version, CancellationToken cancellationToken = default);

    /// <summary>Gets a document by id; null if it does not exist or is deleted.</summary>
    /// <param name="id">The document id.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The document or null.</returns>
    ValueTask<Document?> GetAsync(long id, CancellationToken cancellationToken = default);

    /// <summary>Gets a document by its UUID; null if it does not exist or is deleted.</summary>
    /// <param name="uuid">The document's UUID.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The document or null.</returns>
    ValueTask<Document?> GetByUuidAsync(Guid uuid, CancellationToken cancellationToken = default);

    /// <summary>Gets several documents in one query. Missing or deleted ids are simply absent; order follows the ids given, duplicates once.</summary>
    /// <param name="ids">The ids (at most 10,000).</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The documents found.</returns>
    Task<IReadOnlyList<Document>> GetManyAsync(IEnumerable<long> ids, CancellationToken cancellationToken = default);

    /// <summary>Lists documents with filters, an allow-listed order and paging with a total count.</summary>
    /// <param name="query">Filters, order and page.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>One page and the total.</returns>
    Task<PagedResult<Document>> ListAsync(ListQuery query, CancellationToken cancellationToken = default);

    /// <summary>Full-text search over title, content and tags, ranked by BM25, with a snippet per hit.</summary>
    /// <param name="query">Text, mode, filters and page.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>One page of hits and the total.</returns>
    /// <exception cref="InvalidSearchQueryException">The text is empty, too long, or not valid in advanced mode.</exception>
    Task<PagedResult<SearchHit>> SearchAsync(SearchQuery query, CancellationToken cancellationToken = default);

    /// <summary>Every version of a document, oldest first (empty if none).</summary>
    /// <param name="id">The document.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The snapshots.</returns>
    Task<IReadOnlyList<DocumentVersion>> GetVersionsAsync(long id, CancellationToken cancellationToken = default);

    /// <summary>One version of a document, or null.</summary>
    /// <param name="id">The document.</param>
    /// <param name="version">The version number.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The snapshot or null.</returns>
    Task<DocumentVersion?> GetVersionAsync(long id, int version, CancellationToken cancellationToken = default);

    /// <summary>A page of the audit log, newest first, for one document or all.</summary>
    /// <param name="query">Document and page.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>One page and the total.</returns>
    Task<PagedResult<AuditEntry>> GetAuditLogAsync(AuditQuery query, CancellationToken cancellationToken = default);

    /// <summary>Counts and sizes.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The statistics.</returns>
    Task<StoreStatistics> GetStatisticsAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Runs <c>PRAGMA optimize</c> and merges the full-text index; on files this version created, the pages that frees
    /// go back to the file system (incremental vacuum). With <paramref name="vacuum"/>, also rebuilds the file.
    /// </summary>
    /// <param name="vacuum">Also run VACUUM (slow; needs free disk space equal to the file).</param>
    /// <param name="cancellationToken">Cancels before starting.</param>
    /// <returns>A task that completes when done.</returns>
    Task OptimizeAsync(bool vacuum = false, CancellationToken cancellationToken = default);

    /// <summary>
    /// Re-encrypts an encrypted store under <paramref name="newKey"/> while it stays open: writes and
    /// reads pause for the rotation (SQLCipher 4 needs every other connection closed to rekey a WAL
    /// database) and go on afterwards. Later opens need the new key.
    /// </summary>
    /// <param name="newKey">The new key.</param>
    /// <param name="cancellationToken">Cancels while waiting for the writer.</param>
    /// <returns>A task that completes when the file is re-encrypted.</returns>
    /// <exception cref="InvalidOperationException">The store is not encrypted.</exception>
    /// <exception cref="NotSupportedException">The store is on PostgreSQL, which keeps no key of its own (use the server's disk encryption and TLS).</exception>
    Task RotateKeyAsync(EncryptionKey newKey, CancellationToken cancellationToken = default);

    /// <summary>Copies the WAL into the database file and truncates the WAL (on PostgreSQL, where the server checkpoints its own log, nothing to do).</summary>
    /// <param name="cancellationToken">Cancels before starting.</param>
    /// <returns>A task that completes when done.</returns>
    Task CheckpointAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Writes a consistent copy of the store to <paramref name="destinationPath"/> while reads and writes go
    /// on (one read snapshot of the file; writes committed after it are not in the copy). An encrypted store's
    /// copy is encrypted under the same key. The copy opens as a store with every document, version and audit row.
    /// </summary>
    /// <param name="destinationPath">The new file; it must not exist. Written under a temporary name and renamed when complete.</param>
    /// <param name="cancellationToken">Interrupts the copy; nothing is left under the destination's name.</param>
    /// <returns>A task that completes when the copy is in place.</returns>
    /// <exception cref="IOException">The destination exists.</exception>
    /// <exception cref="NotSupportedException">The store is on PostgreSQL: back it up with the server's tools (<c>pg_dump</c>, continuous archiving), or copy it to a file with <see cref="LocalStorageSystem.CopyToAsync"/>.</exception>
    Task BackupAsync(string destinationPath, CancellationToken cancellationToken = default);

    /// <summary>
    /// Checks the file and reports what is wrong, without changing anything and without throwing for damage:
    /// SQLite's integrity_check, FTS5's integrity-check against the documents, the schema, and the invariants
    /// between tables (current version rows, tag rows, one full-text entry per document, no orphans).
    /// </summary>
    /// <param name="cancellationToken">Interrupts the checks.</param>
    /// <returns>The report.</returns>
    Task<VerificationReport> VerifyAsync(CancellationToken cancellationToken = default);
}
