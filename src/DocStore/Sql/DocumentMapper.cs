using DocStore.Data;
using DocStore.Internal;

namespace DocStore.Sql;

/// <summary>Turns EF Core entities into the immutable types handed to callers (raw rows go through <see cref="DocumentColumns"/>).</summary>
internal static class DocumentMapper
{
    public static Document FromEntity(DocumentEntity e) => StoredContent.From(e).ToDocument(
        e.Id,
        StoredBytes.ToUuid(e.Uuid),
        e.Version,
        UtcTicks.ToDateTimeOffset(e.CreatedAt),
        UtcTicks.ToDateTimeOffset(e.UpdatedAt),
        e.LastAccessedAt is { } t ? UtcTicks.ToDateTimeOffset(t) : null,
        e.AccessCount);

    /// <summary>The current version of a document, as a history entry.</summary>
    public static DocumentVersion CurrentVersionOf(DocumentEntity e) => StoredContent.From(e).ToDocumentVersion(e.Id, e.Version, e.UpdatedAt, e.UpdatedBy);

    public static DocumentVersion FromEntity(DocumentVersionEntity v) => StoredContent.From(v).ToDocumentVersion(v.DocumentId, v.Version, v.CreatedAt, v.Actor);

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
