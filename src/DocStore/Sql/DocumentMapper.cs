using DocStore.Data;
using DocStore.Internal;

namespace DocStore.Sql;

/// <summary>Turns EF Core entities into the immutable types handed to callers (raw rows go through <see cref="DocumentColumns"/>).</summary>
internal static class DocumentMapper
{
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

    /// <summary>The current version of a document, as a history entry.</summary>
    public static DocumentVersion CurrentVersionOf(DocumentEntity e) => new()
    {
        DocumentId = e.Id,
        Version = e.Version,
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
        CreatedAt = UtcTicks.ToDateTimeOffset(e.UpdatedAt),
        Actor = e.UpdatedBy,
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
