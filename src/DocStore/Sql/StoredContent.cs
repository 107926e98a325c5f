using DocStore.Data;
using DocStore.Internal;
using DocStore.Validation;

namespace DocStore.Sql;

/// <summary>The values a document row and each of its version rows share, as stored (tags as their JSON array).</summary>
internal readonly record struct StoredContent(
    string Title,
    string Type,
    DocumentStatus Status,
    string Content,
    string Format,
    string? Language,
    string? SourcePath,
    string Tags,
    string Metadata,
    string ContentHash,
    long SizeBytes)
{
    /// <summary>The tags as a list.</summary>
    public IReadOnlyList<string> TagList => StoredTags.Parse(Tags);

    /// <summary>A new document's validated fields as stored: tags serialized, the content's hash and size computed.</summary>
    public static StoredContent Create(string title, string type, DocumentStatus status, string content, string format, string? language, string? sourcePath, IReadOnlyList<string> tags, string metadata) =>
        new(title, type, status, content, format, language, sourcePath, StoredTags.Serialize(tags), metadata, DocumentValidator.ContentHash(content), DocumentValidator.Utf8Size(content));

    public static StoredContent From(Document d) => new(
        d.Title, d.Type, d.Status, d.Content, d.Format, d.Language, d.SourcePath, StoredTags.Serialize(d.Tags), d.Metadata, d.ContentHash, d.SizeBytes);

    public static StoredContent From(ContentRow e) => new(
        e.Title, e.Type, e.Status, e.Content, e.Format, e.Language, e.SourcePath, e.Tags, e.Metadata, StoredBytes.ToHash(e.ContentHash), e.SizeBytes);

    /// <summary>Sets a document's or a version's content columns to these values.</summary>
    public void ApplyTo(ContentRow e)
    {
        e.Title = Title;
        e.Type = Type;
        e.Status = Status;
        e.Content = Content;
        e.Format = Format;
        e.Language = Language;
        e.SourcePath = SourcePath;
        e.Tags = Tags;
        e.Metadata = Metadata;
        e.ContentHash = StoredBytes.FromHash(ContentHash);
        e.SizeBytes = SizeBytes;
    }

    /// <summary>This content as the history row of a replaced version.</summary>
    public DocumentVersionEntity ToVersionRow(long documentId, int version, long createdAt, string actor)
    {
        var row = new DocumentVersionEntity { DocumentId = documentId, Version = version, CreatedAt = createdAt, Actor = actor };
        ApplyTo(row);
        return row;
    }

    /// <summary>
    /// This content with a validated update's fields applied (<see cref="DocumentValidator.ValidateUpdate"/>'s result;
    /// content hash and size recomputed when the content changes).
    /// </summary>
    public StoredContent With(DocumentUpdate update)
    {
        var content = update.Content ?? Content;
        var changed = !string.Equals(content, Content, StringComparison.Ordinal);
        return new StoredContent(
            update.Title ?? Title,
            update.Type ?? Type,
            update.Status ?? Status,
            content,
            update.Format ?? Format,
            update.Language is null ? Language : NullIfEmpty(update.Language),
            update.SourcePath is null ? SourcePath : NullIfEmpty(update.SourcePath),
            update.Tags is { } tags ? StoredTags.Serialize(tags as IReadOnlyList<string> ?? [.. tags]) : Tags,
            update.Metadata ?? Metadata,
            changed ? DocumentValidator.ContentHash(content) : ContentHash,
            changed ? DocumentValidator.Utf8Size(content) : SizeBytes);
    }

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;

    /// <summary>This content as the history entry of <paramref name="version"/>, written at <paramref name="createdAt"/> (UTC ticks) by <paramref name="actor"/>.</summary>
    public DocumentVersion ToDocumentVersion(long documentId, int version, long createdAt, string actor) =>
        new(this, documentId, version, UtcTicks.ToDateTimeOffset(createdAt), actor);

    public Document ToDocument(long id, Guid uuid, int version, DateTimeOffset createdAt, DateTimeOffset updatedAt, DateTimeOffset? lastAccessedAt, long accessCount) =>
        new(this, id, uuid, version, createdAt, updatedAt, lastAccessedAt, accessCount);
}
