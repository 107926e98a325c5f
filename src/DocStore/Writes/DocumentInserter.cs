using DocStore.Internal;
using DocStore.Sql;
using DocStore.Validation;
using Microsoft.Data.Sqlite;

namespace DocStore.Writes;

/// <summary>
/// Inserts a new document: its row, its tag rows and its version-1 snapshot, on statements prepared once
/// on the writer connection (EF Core would prepare them again on every SaveChanges). Its full-text entry
/// is queued on the write's scope, to be added last. Used under the write lock.
/// </summary>
internal sealed class DocumentInserter : IDisposable
{
    private readonly SqliteCommand _insertDocument;
    private readonly ContentColumns _documentContent;
    private readonly SqliteParameter _uuid;
    private readonly SqliteParameter _now;
    private readonly SqliteCommand _insertTag;
    private readonly SqliteParameter _tag;
    private readonly SqliteParameter _tagDocument;
    private readonly SqliteCommand _insertVersion;
    private readonly ContentColumns _versionContent;
    private readonly SqliteParameter _versionDocument;
    private readonly SqliteParameter _versionNow;
    private readonly SqliteParameter _actor;

    public DocumentInserter(SqliteConnection connection)
    {
        _insertDocument = PreparedStatement.Create(connection,
            $"INSERT INTO documents (uuid, {ContentColumns.NameList}, version, created_at, updated_at, access_count) "
            + $"VALUES ($uuid, {ContentColumns.ParameterList}, 1, $now, $now, 0) RETURNING id");
        _uuid = PreparedStatement.Parameter(_insertDocument, "$uuid");
        _documentContent = new ContentColumns(_insertDocument);
        _now = PreparedStatement.Parameter(_insertDocument, "$now");

        _insertTag = PreparedStatement.Create(connection, "INSERT INTO document_tags (tag, document_id) VALUES ($tag, $id)");
        _tag = PreparedStatement.Parameter(_insertTag, "$tag");
        _tagDocument = PreparedStatement.Parameter(_insertTag, "$id");

        _insertVersion = PreparedStatement.Create(connection,
            $"INSERT INTO document_versions (document_id, version, {ContentColumns.NameList}, created_at, actor) "
            + $"VALUES ($id, 1, {ContentColumns.ParameterList}, $now, $actor)");
        _versionDocument = PreparedStatement.Parameter(_insertVersion, "$id");
        _versionContent = new ContentColumns(_insertVersion);
        _versionNow = PreparedStatement.Parameter(_insertVersion, "$now");
        _actor = PreparedStatement.Parameter(_insertVersion, "$actor");
    }

    /// <summary>Inserts a validated document in the scope's transaction; returns the stored document.</summary>
    public Document Insert(ValidatedFields fields, WriteScope scope)
    {
        var uuid = Guid.CreateVersion7(UtcTicks.ToDateTimeOffset(scope.Now));
        var content = StoredContent.From(fields);

        _uuid.Value = UuidText.Format(uuid);
        _documentContent.Bind(content);
        _now.Value = scope.Now;
        _insertDocument.Transaction = scope.Transaction;
        var id = (long)_insertDocument.ExecuteScalar()!;

        _insertTag.Transaction = scope.Transaction;
        _tagDocument.Value = id;
        foreach (var tag in fields.Tags)
        {
            _tag.Value = tag;
            _insertTag.ExecuteNonQuery();
        }

        _versionDocument.Value = id;
        _versionContent.Bind(content);
        _versionNow.Value = scope.Now;
        _actor.Value = scope.Actor;
        _insertVersion.Transaction = scope.Transaction;
        _insertVersion.ExecuteNonQuery();

        scope.IndexChanges.Add(new IndexChange(false, id, content.Title, content.Content, content.Tags));
        var at = UtcTicks.ToDateTimeOffset(scope.Now);
        return new Document
        {
            Id = id,
            Uuid = uuid,
            Title = content.Title,
            Type = content.Type,
            Status = content.Status,
            Content = content.Content,
            Format = content.Format,
            Language = content.Language,
            SourcePath = content.SourcePath,
            Tags = fields.Tags.Count == 0 ? StoredTags.Empty : fields.Tags,
            Metadata = content.Metadata,
            ContentHash = content.ContentHash,
            SizeBytes = content.SizeBytes,
            Version = 1,
            CreatedAt = at,
            UpdatedAt = at,
        };
    }

    public void Dispose()
    {
        _insertDocument.Dispose();
        _insertTag.Dispose();
        _insertVersion.Dispose();
    }
}
