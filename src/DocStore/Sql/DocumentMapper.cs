using System.Data.Common;
using DocStore.Data;
using DocStore.Internal;

namespace DocStore.Sql;

/// <summary>Turns rows into immutable <see cref="Document"/>s, from EF entities or from raw readers.</summary>
internal static class DocumentMapper
{
    /// <summary>The column list every raw document query selects, in the order <see cref="FromRow"/> reads.</summary>
    public const string Columns =
        "d.id, d.uuid, d.title, d.type, d.status, d.content, d.format, d.language, d.source_path, d.tags, d.metadata, "
        + "d.content_hash, d.size_bytes, d.version, d.created_at, d.updated_at, d.last_accessed_at, d.access_count";

    /// <summary>How many columns <see cref="Columns"/> holds.</summary>
    public const int ColumnCount = 18;

    public static Document FromEntity(DocumentEntity e) => new()
    {
        Id = e.Id,
        Uuid = UuidText.Parse(e.Uuid),
        Title = e.Title,
        Type = e.Type,
        Status = e.Status,
        Content = e.Content,
        Format = e.Format,
        Language = e.Language,
        SourcePath = e.SourcePath,
        Tags = StoredTags.Parse(e.Tags),
        Metadata = e.Metadata,
        ContentHash = e.ContentHash,
        SizeBytes = e.SizeBytes,
        Version = e.Version,
        CreatedAt = UtcTicks.ToDateTimeOffset(e.CreatedAt),
        UpdatedAt = UtcTicks.ToDateTimeOffset(e.UpdatedAt),
        LastAccessedAt = e.LastAccessedAt is { } t ? UtcTicks.ToDateTimeOffset(t) : null,
        AccessCount = e.AccessCount,
    };

    public static Document FromRow(DbDataReader r) => new()
    {
        Id = r.GetInt64(0),
        Uuid = UuidText.Parse(r.GetString(1)),
        Title = r.GetString(2),
        Type = r.GetString(3),
        Status = (DocumentStatus)r.GetInt32(4),
        Content = r.GetString(5),
        Format = r.GetString(6),
        Language = r.IsDBNull(7) ? null : r.GetString(7),
        SourcePath = r.IsDBNull(8) ? null : r.GetString(8),
        Tags = StoredTags.Parse(r.GetString(9)),
        Metadata = r.GetString(10),
        ContentHash = r.GetString(11),
        SizeBytes = r.GetInt64(12),
        Version = r.GetInt32(13),
        CreatedAt = UtcTicks.ToDateTimeOffset(r.GetInt64(14)),
        UpdatedAt = UtcTicks.ToDateTimeOffset(r.GetInt64(15)),
        LastAccessedAt = r.IsDBNull(16) ? null : UtcTicks.ToDateTimeOffset(r.GetInt64(16)),
        AccessCount = r.GetInt64(17),
    };

    public static DocumentVersion FromEntity(DocumentVersionEntity v) => new()
    {
        DocumentId = v.DocumentId,
        Version = v.Version,
        Title = v.Title,
        Type = v.Type,
        Status = v.Status,
        Content = v.Content,
        Format = v.Format,
        Language = v.Language,
        SourcePath = v.SourcePath,
        Tags = StoredTags.Parse(v.Tags),
        Metadata = v.Metadata,
        ContentHash = v.ContentHash,
        SizeBytes = v.SizeBytes,
        CreatedAt = UtcTicks.ToDateTimeOffset(v.CreatedAt),
        Actor = v.Actor,
    };

    public static AuditEntry FromEntity(AuditEntryEntity a) => new()
    {
        Id = a.Id,
        At = UtcTicks.ToDateTimeOffset(a.At),
        Operation = a.Operation,
        DocumentId = a.DocumentId,
        Version = a.Version,
        Actor = a.Actor,
        Outcome = a.Outcome,
        Error = a.Error,
        Duration = TimeSpan.FromMicroseconds(a.DurationMicroseconds),
    };
}
