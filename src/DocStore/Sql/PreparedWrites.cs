using DocStore.Internal;
using DocStore.Validation;
using Microsoft.Data.Sqlite;

namespace DocStore.Sql;

/// <summary>
/// The writer's hot statements, prepared once on the writer connection and reused: insert a
/// document (with its tag rows, first version and full-text entry), keep the full-text index in
/// step with updates and deletes, and append an audit row. EF Core prepares every
/// statement again on every SaveChanges (Microsoft.Data.Sqlite keeps no statement cache), and
/// preparing an INSERT into <c>documents</c> also compiles its FTS5 trigger programs: measured on
/// the project machine, that made a create cost about 1-2 ms. Reused statements pay it once.
/// Updates, deletes and restores stay on EF Core. Only used under the store's writer lock.
/// </summary>
internal sealed class PreparedWrites : IDisposable
{
    private readonly SqliteCommand _insertDocument;
    private readonly SqliteCommand _insertTag;
    private readonly SqliteCommand _insertVersion;
    private readonly SqliteCommand _insertAudit;
    private readonly SqliteCommand _indexDocument;
    private readonly SqliteCommand _unindexDocument;

    public PreparedWrites(SqliteConnection connection)
    {
        _indexDocument = Create(connection, "INSERT INTO documents_fts (rowid, title, content, tags) VALUES ($id, $title, $content, $tags)", "$id", "$title", "$content", "$tags");

        // External-content FTS5 removes a row by being told its old values exactly.
        _unindexDocument = Create(connection, "INSERT INTO documents_fts (documents_fts, rowid, title, content, tags) VALUES ('delete', $id, $title, $content, $tags)", "$id", "$title", "$content", "$tags");
        _insertDocument = Create(connection,
            "INSERT INTO documents (uuid, title, type, status, content, format, language, source_path, tags, metadata, content_hash, size_bytes, version, created_at, updated_at, access_count) "
            + "VALUES ($uuid, $title, $type, $status, $content, $format, $language, $source_path, $tags, $metadata, $content_hash, $size_bytes, 1, $now, $now, 0) RETURNING id",
            "$uuid", "$title", "$type", "$status", "$content", "$format", "$language", "$source_path", "$tags", "$metadata", "$content_hash", "$size_bytes", "$now");
        _insertTag = Create(connection, "INSERT INTO document_tags (tag, document_id) VALUES ($tag, $id)", "$tag", "$id");
        _insertVersion = Create(connection,
            "INSERT INTO document_versions (document_id, version, title, type, status, content, format, language, source_path, tags, metadata, content_hash, size_bytes, created_at, actor) "
            + "VALUES ($id, 1, $title, $type, $status, $content, $format, $language, $source_path, $tags, $metadata, $content_hash, $size_bytes, $now, $actor)",
            "$id", "$title", "$type", "$status", "$content", "$format", "$language", "$source_path", "$tags", "$metadata", "$content_hash", "$size_bytes", "$now", "$actor");
        _insertAudit = Create(connection,
            "INSERT INTO audit_log (at, operation, document_id, version, actor, outcome, error, duration_us) VALUES ($at, $operation, $document_id, $version, $actor, $outcome, $error, $duration_us)",
            "$at", "$operation", "$document_id", "$version", "$actor", "$outcome", "$error", "$duration_us");
    }

    /// <summary>Inserts a validated document, its tag rows and its version-1 snapshot; returns the stored document.</summary>
    public Document InsertDocument(ValidatedFields fields, WriteScope scope, SqliteTransaction transaction)
    {
        var uuid = Guid.CreateVersion7(UtcTicks.ToDateTimeOffset(scope.Now));
        var tags = StoredTags.Serialize(fields.Tags);
        var hash = DocumentValidator.ContentHash(fields.Content);
        var size = DocumentValidator.Utf8Size(fields.Content);

        var p = _insertDocument.Parameters;
        p[0].Value = UuidText.Format(uuid);
        SetFields(p, 1, fields, tags, hash, size);
        p[12].Value = scope.Now;
        _insertDocument.Transaction = transaction;
        var id = (long)_insertDocument.ExecuteScalar()!;

        scope.IndexChanges.Add(new IndexChange(false, id, fields.Title, fields.Content, tags));
        _insertTag.Transaction = transaction;
        _insertTag.Parameters[1].Value = id;
        foreach (var tag in fields.Tags)
        {
            _insertTag.Parameters[0].Value = tag;
            _insertTag.ExecuteNonQuery();
        }

        var v = _insertVersion.Parameters;
        v[0].Value = id;
        SetFields(v, 1, fields, tags, hash, size);
        v[12].Value = scope.Now;
        v[13].Value = scope.Actor;
        _insertVersion.Transaction = transaction;
        _insertVersion.ExecuteNonQuery();

        var at = UtcTicks.ToDateTimeOffset(scope.Now);
        return new Document
        {
            Id = id,
            Uuid = uuid,
            Title = fields.Title,
            Type = fields.Type,
            Status = fields.Status,
            Content = fields.Content,
            Format = fields.Format,
            Language = fields.Language,
            SourcePath = fields.SourcePath,
            Tags = fields.Tags.Count == 0 ? StoredTags.Empty : fields.Tags,
            Metadata = fields.Metadata,
            ContentHash = hash,
            SizeBytes = size,
            Version = 1,
            CreatedAt = at,
            UpdatedAt = at,
        };
    }

    /// <summary>Applies the scope's full-text index changes in order (removals carry the values a row was indexed with).</summary>
    public void ApplyIndexChanges(WriteScope scope, SqliteTransaction transaction)
    {
        foreach (var change in scope.IndexChanges)
        {
            RunFts(change.Remove ? _unindexDocument : _indexDocument, change.Id, change.Title, change.Content, change.Tags, transaction);
        }
    }

    /// <summary>Appends one audit row, in <paramref name="transaction"/> or (when null) in its own autocommit.</summary>
    public void InsertAudit(long at, AuditOperation operation, long? documentId, int? version, string actor, AuditOutcome outcome, string? error, long durationMicroseconds, SqliteTransaction? transaction)
    {
        var p = _insertAudit.Parameters;
        p[0].Value = at;
        p[1].Value = operation.ToString();
        p[2].Value = (object?)documentId ?? DBNull.Value;
        p[3].Value = (object?)version ?? DBNull.Value;
        p[4].Value = actor;
        p[5].Value = outcome.ToString();
        p[6].Value = (object?)error ?? DBNull.Value;
        p[7].Value = durationMicroseconds;
        _insertAudit.Transaction = transaction;
        _insertAudit.ExecuteNonQuery();
    }

    public void Dispose()
    {
        _indexDocument.Dispose();
        _unindexDocument.Dispose();
        _insertDocument.Dispose();
        _insertTag.Dispose();
        _insertVersion.Dispose();
        _insertAudit.Dispose();
    }

    private static void RunFts(SqliteCommand command, long id, string title, string content, string tags, SqliteTransaction transaction)
    {
        var p = command.Parameters;
        p[0].Value = id;
        p[1].Value = title;
        p[2].Value = content;
        p[3].Value = tags;
        command.Transaction = transaction;
        command.ExecuteNonQuery();
    }

    private static void SetFields(SqliteParameterCollection p, int first, ValidatedFields fields, string tags, string hash, long size)
    {
        p[first].Value = fields.Title;
        p[first + 1].Value = fields.Type;
        p[first + 2].Value = (long)fields.Status;
        p[first + 3].Value = fields.Content;
        p[first + 4].Value = fields.Format;
        p[first + 5].Value = (object?)fields.Language ?? DBNull.Value;
        p[first + 6].Value = (object?)fields.SourcePath ?? DBNull.Value;
        p[first + 7].Value = tags;
        p[first + 8].Value = fields.Metadata;
        p[first + 9].Value = hash;
        p[first + 10].Value = size;
    }

    private static SqliteCommand Create(SqliteConnection connection, string sql, params string[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var name in parameters)
        {
            command.Parameters.Add(new SqliteParameter(name, null));
        }

        return command;
    }
}
