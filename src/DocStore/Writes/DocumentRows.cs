using DocStore.Schema;
using DocStore.Search;
using DocStore.Internal;
using DocStore.Sql;
using DocStore.Validation;
using Microsoft.Data.Sqlite;

namespace DocStore.Writes;

/// <summary>
/// The writer's statements on documents, their tag rows and their history, prepared once on the writer
/// connection and reused. Raw SQL rather than EF Core's SaveChanges: EF Core prepares every statement
/// again on each SaveChanges and tracks entities a write does not need, which made an update cost 1-2 ms;
/// EF Core still owns the model, the schema's mapping and the reads of the plain path. Used only by the
/// write pipeline's single writer. A document's current version lives in <c>documents</c> alone;
/// <c>document_versions</c> holds the versions it replaced (each written when it is replaced).
/// </summary>
internal sealed class DocumentRows : IDisposable
{
    private readonly SqliteCommand _insert;
    private readonly ContentColumns _insertContent;
    private readonly SqliteParameter _insertUuid;
    private readonly SqliteParameter _insertNow;
    private readonly SqliteParameter _insertActor;
    private readonly SqliteParameter _insertTitleKey;
    private readonly SqliteCommand _current;
    private readonly SqliteParameter _currentId;
    private readonly SqliteCommand _update;
    private readonly ContentColumns _updateContent;
    private readonly SqliteParameter _updateId;
    private readonly SqliteParameter _updateVersion;
    private readonly SqliteParameter _updateExpected;
    private readonly SqliteParameter _updateNow;
    private readonly SqliteParameter _updateActor;
    private readonly SqliteParameter _updateTitleKey;
    private readonly SqliteCommand _keep;
    private readonly ContentColumns _keepContent;
    private readonly SqliteParameter _keepId;
    private readonly SqliteParameter _keepVersion;
    private readonly SqliteParameter _keepAt;
    private readonly SqliteParameter _keepActor;
    private readonly SqliteCommand _version;
    private readonly SqliteParameter _versionId;
    private readonly SqliteParameter _versionNumber;
    private readonly SqliteCommand _matchByPath;
    private readonly SqliteCommand _matchByHash;
    private readonly SqliteCommand _insertReads;
    private readonly SqliteParameter _insertReadsId;
    private readonly SqliteCommand _delete;
    private readonly SqliteParameter _deleteId;
    private readonly SqliteCommand _addTag;
    private readonly SqliteParameter _addTagName;
    private readonly SqliteParameter _addTagId;
    private readonly SqliteCommand _removeTag;
    private readonly SqliteParameter _removeTagName;
    private readonly SqliteParameter _removeTagId;

    public DocumentRows(SqliteConnection connection)
    {
        _insert = PreparedStatement.Create(connection,
            $"INSERT INTO documents (uuid, {ContentColumns.NameList}, title_key, version, created_at, updated_at, updated_by) "
            + $"VALUES ($uuid, {ContentColumns.ParameterList}, $title_key, 1, $now, $now, $actor) RETURNING id");
        _insertReads = PreparedStatement.Create(connection, "INSERT INTO document_reads (document_id) VALUES ($id)");
        _insertReadsId = PreparedStatement.Parameter(_insertReads, "$id");
        _insertUuid = PreparedStatement.Parameter(_insert, "$uuid");
        _insertContent = new ContentColumns(_insert);
        _insertNow = PreparedStatement.Parameter(_insert, "$now");
        _insertActor = PreparedStatement.Parameter(_insert, "$actor");
        _insertTitleKey = PreparedStatement.Parameter(_insert, "$title_key");

        _current = PreparedStatement.Create(connection, $"SELECT {DocumentColumns.SelectList}, d.updated_by FROM {DocumentColumns.From} WHERE d.id = $id");
        _currentId = PreparedStatement.Parameter(_current, "$id");

        _update = PreparedStatement.Create(connection,
            $"UPDATE documents SET {ContentColumns.Assignments}, version = $version, updated_at = $now, updated_by = $actor, title_key = $title_key WHERE id = $id AND version = $expected");
        _updateContent = new ContentColumns(_update);
        _updateId = PreparedStatement.Parameter(_update, "$id");
        _updateVersion = PreparedStatement.Parameter(_update, "$version");
        _updateExpected = PreparedStatement.Parameter(_update, "$expected");
        _updateNow = PreparedStatement.Parameter(_update, "$now");
        _updateActor = PreparedStatement.Parameter(_update, "$actor");
        _updateTitleKey = PreparedStatement.Parameter(_update, "$title_key");

        _keep = PreparedStatement.Create(connection,
            $"INSERT INTO document_versions (document_id, version, {ContentColumns.NameList}, created_at, actor) VALUES ($id, $version, {ContentColumns.ParameterList}, $at, $actor)");
        _keepId = PreparedStatement.Parameter(_keep, "$id");
        _keepVersion = PreparedStatement.Parameter(_keep, "$version");
        _keepContent = new ContentColumns(_keep);
        _keepAt = PreparedStatement.Parameter(_keep, "$at");
        _keepActor = PreparedStatement.Parameter(_keep, "$actor");

        _version = PreparedStatement.Create(connection,
            $"SELECT {ContentColumns.NameList} FROM document_versions WHERE document_id = $id AND version = $version");
        _versionId = PreparedStatement.Parameter(_version, "$id");
        _versionNumber = PreparedStatement.Parameter(_version, "$version");

        _matchByPath = PreparedStatement.Create(connection, $"SELECT id FROM documents WHERE source_path = $value AND status <> {StoreSchema.DeletedStatus} ORDER BY id LIMIT 1");
        PreparedStatement.Parameter(_matchByPath, "$value");
        _matchByHash = PreparedStatement.Create(connection, $"SELECT id FROM documents WHERE content_hash = $value AND status <> {StoreSchema.DeletedStatus} ORDER BY id LIMIT 1");
        PreparedStatement.Parameter(_matchByHash, "$value");
        _delete = PreparedStatement.Create(connection, "DELETE FROM documents WHERE id = $id");
        _deleteId = PreparedStatement.Parameter(_delete, "$id");
        _addTag = PreparedStatement.Create(connection, "INSERT INTO document_tags (tag, document_id) VALUES ($tag, $id)");
        _addTagName = PreparedStatement.Parameter(_addTag, "$tag");
        _addTagId = PreparedStatement.Parameter(_addTag, "$id");
        _removeTag = PreparedStatement.Create(connection, "DELETE FROM document_tags WHERE tag = $tag AND document_id = $id");
        _removeTagName = PreparedStatement.Parameter(_removeTag, "$tag");
        _removeTagId = PreparedStatement.Parameter(_removeTag, "$id");
    }

    /// <summary>Inserts a validated document and its tag rows; queues its index entry; returns the stored document.</summary>
    public Document Insert(ValidatedFields fields, WriteScope scope)
    {
        var uuid = Guid.CreateVersion7(UtcTicks.ToDateTimeOffset(scope.Now));
        var content = StoredContent.From(fields);
        _insertUuid.Value = UuidText.Format(uuid);
        _insertContent.Bind(content);
        _insertNow.Value = scope.Now;
        _insertActor.Value = scope.Actor;
        _insertTitleKey.Value = TitleKey.Of(content.Title);
        var id = (long)Run(_insert, scope, scalar: true)!;
        _insertReadsId.Value = id;
        Run(_insertReads, scope);
        SetTags(id, [], fields.Tags, scope);
        scope.IndexChanges.Add(new IndexChange(false, false, id, content.Title, content.Content, content.Tags));
        var at = UtcTicks.ToDateTimeOffset(scope.Now);
        return content.ToDocument(id, uuid, 1, at, at, null, 0);
    }

    /// <summary>The document as stored now (any status), with who wrote its current version; null if there is none.</summary>
    public (Document Document, string UpdatedBy)? Current(long id, WriteScope scope)
    {
        _currentId.Value = id;
        _current.Transaction = scope.Transaction;
        using var reader = _current.ExecuteReader();
        return reader.Read() ? (DocumentColumns.Read(reader), reader.GetString(DocumentColumns.Count)) : null;
    }

    /// <summary>A replaced version's stored content; null if the document has no such version in its history.</summary>
    public StoredContent? Version(long id, int version, WriteScope scope)
    {
        _versionId.Value = id;
        _versionNumber.Value = version;
        _version.Transaction = scope.Transaction;
        using var reader = _version.ExecuteReader();
        return reader.Read() ? ContentColumns.Read(reader) : null;
    }

    /// <summary>
    /// Writes <paramref name="next"/> as the document's new current version: the replaced version goes to the
    /// history, the row is updated (guarded by its version), tag rows follow, and the index entry is replaced
    /// when the indexed text changed. Records the change on the scope and returns the new document.
    /// </summary>
    public Document Replace((Document Document, string UpdatedBy) current, StoredContent next, WriteScope scope, AuditOperation operation, DocumentChangeKind kind)
    {
        var (old, updatedBy) = current;
        var previous = StoredContent.From(old);
        _keepId.Value = old.Id;
        _keepVersion.Value = old.Version;
        _keepContent.Bind(previous);
        _keepAt.Value = UtcTicks.From(old.UpdatedAt);
        _keepActor.Value = updatedBy;
        Run(_keep, scope);

        var version = old.Version + 1;
        _updateContent.Bind(next);
        _updateId.Value = old.Id;
        _updateVersion.Value = version;
        _updateExpected.Value = old.Version;
        _updateNow.Value = scope.Now;
        _updateActor.Value = scope.Actor;
        _updateTitleKey.Value = TitleKey.Of(next.Title);
        if ((int)Run(_update, scope)! != 1)
        {
            // Only another process could have changed it: this transaction holds the write lock since its read.
            throw new VersionConflictException(old.Id, old.Version, null);
        }

        SetTags(old.Id, old.Tags, next.TagList, scope);
        // The entry moves when the indexed text changed, or between the live index and the trash's.
        var wasTrash = previous.Status == DocumentStatus.Deleted;
        var isTrash = next.Status == DocumentStatus.Deleted;
        if (wasTrash != isTrash
            || !string.Equals(previous.Title, next.Title, StringComparison.Ordinal)
            || !string.Equals(previous.Content, next.Content, StringComparison.Ordinal)
            || !string.Equals(previous.Tags, next.Tags, StringComparison.Ordinal))
        {
            scope.IndexChanges.Add(new IndexChange(true, wasTrash, old.Id, previous.Title, previous.Content, previous.Tags));
            scope.IndexChanges.Add(new IndexChange(false, isTrash, old.Id, next.Title, next.Content, next.Tags));
        }

        scope.Record(operation, new DocumentChange(old.Id, version, kind));
        return next.ToDocument(old.Id, old.Uuid, version, old.CreatedAt, UtcTicks.ToDateTimeOffset(scope.Now), old.LastAccessedAt, old.AccessCount);
    }

    /// <summary>The id of the oldest document not deleted with this source path, or, when it is null, this content hash; null if none.</summary>
    public long? Match(string? sourcePath, string contentHash, WriteScope scope)
    {
        var command = sourcePath is null ? _matchByHash : _matchByPath;
        command.Parameters[0].Value = sourcePath ?? contentHash;
        command.Transaction = scope.Transaction;
        return command.ExecuteScalar() is long id ? id : null;
    }

    /// <summary>Removes a document with its history and tag rows (ON DELETE CASCADE) and its index entry.</summary>
    public void Delete(Document old, WriteScope scope)
    {
        var previous = StoredContent.From(old);
        scope.IndexChanges.Add(new IndexChange(true, old.Status == DocumentStatus.Deleted, old.Id, previous.Title, previous.Content, previous.Tags));
        _deleteId.Value = old.Id;
        Run(_delete, scope);
        scope.Record(AuditOperation.HardDelete, new DocumentChange(old.Id, old.Version, DocumentChangeKind.Purged));
    }

    public void Dispose()
    {
        foreach (var command in new[] { _insert, _insertReads, _current, _update, _keep, _version, _matchByPath, _matchByHash, _delete, _addTag, _removeTag })
        {
            command.Dispose();
        }
    }

    private static object? Run(SqliteCommand command, WriteScope scope, bool scalar = false)
    {
        command.Transaction = scope.Transaction;
        return scalar ? command.ExecuteScalar() : command.ExecuteNonQuery();
    }

    /// <summary>Makes the document's tag rows go from <paramref name="before"/> to <paramref name="after"/>.</summary>
    private void SetTags(long id, IReadOnlyList<string> before, IReadOnlyList<string> after, WriteScope scope)
    {
        _removeTagId.Value = id;
        foreach (var tag in before)
        {
            if (!after.Contains(tag, StringComparer.Ordinal))
            {
                _removeTagName.Value = tag;
                Run(_removeTag, scope);
            }
        }

        _addTagId.Value = id;
        foreach (var tag in after)
        {
            if (!before.Contains(tag, StringComparer.Ordinal))
            {
                _addTagName.Value = tag;
                Run(_addTag, scope);
            }
        }
    }
}
