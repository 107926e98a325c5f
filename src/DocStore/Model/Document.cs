namespace DocStore;

/// <summary>
/// A stored document. Instances are immutable, so one instance can be shared by every reader
/// (the fast path's cache hands out the same object without copying).
/// </summary>
/// <remarks>
/// <see cref="AccessCount"/> and <see cref="LastAccessedAt"/> are maintained in the background by the
/// fast path's access tracker; an instance read from a cache may show values older than the file.
/// Equality is by value over every property, tags compared in order.
/// </remarks>
public sealed class Document : IEquatable<Document>
{
    /// <summary>The row id, assigned on create.</summary>
    public required long Id { get; init; }

    /// <summary>A globally unique id (UUID version 7, time-ordered), assigned on create.</summary>
    public required Guid Uuid { get; init; }

    /// <summary>The title, 1 to 255 characters.</summary>
    public required string Title { get; init; }

    /// <summary>A short lowercase slug, e.g. <c>api</c> or <c>tutorial</c>.</summary>
    public required string Type { get; init; }

    /// <summary>The life-cycle state.</summary>
    public required DocumentStatus Status { get; init; }

    /// <summary>The document's text.</summary>
    public required string Content { get; init; }

    /// <summary>The content format slug, e.g. <c>markdown</c>, <c>plain</c>, <c>html</c>.</summary>
    public required string Format { get; init; }

    /// <summary>An optional language tag, e.g. <c>en</c> or <c>pt-BR</c>.</summary>
    public string? Language { get; init; }

    /// <summary>An optional path of the file the document was imported from.</summary>
    public string? SourcePath { get; init; }

    /// <summary>Normalised tags (trimmed, lowercase), sorted ordinally, without duplicates.</summary>
    public required IReadOnlyList<string> Tags { get; init; }

    /// <summary>The metadata, a JSON object in compact form (<c>{}</c> when there is none).</summary>
    public required string Metadata { get; init; }

    /// <summary>SHA-256 of the UTF-8 content, lowercase hex.</summary>
    public required string ContentHash { get; init; }

    /// <summary>Size of the UTF-8 content in bytes.</summary>
    public required long SizeBytes { get; init; }

    /// <summary>1 on create, +1 on every change; the optimistic-concurrency token.</summary>
    public required int Version { get; init; }

    /// <summary>When the document was created (UTC).</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When the document last changed (UTC).</summary>
    public required DateTimeOffset UpdatedAt { get; init; }

    /// <summary>When the document was last read, as recorded by access tracking (UTC), or null.</summary>
    public DateTimeOffset? LastAccessedAt { get; init; }

    /// <summary>How many reads access tracking has recorded.</summary>
    public long AccessCount { get; init; }

    /// <inheritdoc />
    public bool Equals(Document? other) =>
        other is not null
        && (ReferenceEquals(this, other)
            || (Id == other.Id
                && Uuid == other.Uuid
                && Version == other.Version
                && Status == other.Status
                && SizeBytes == other.SizeBytes
                && AccessCount == other.AccessCount
                && CreatedAt == other.CreatedAt
                && UpdatedAt == other.UpdatedAt
                && LastAccessedAt == other.LastAccessedAt
                && string.Equals(Title, other.Title, StringComparison.Ordinal)
                && string.Equals(Type, other.Type, StringComparison.Ordinal)
                && string.Equals(Format, other.Format, StringComparison.Ordinal)
                && string.Equals(Language, other.Language, StringComparison.Ordinal)
                && string.Equals(SourcePath, other.SourcePath, StringComparison.Ordinal)
                && string.Equals(Metadata, other.Metadata, StringComparison.Ordinal)
                && string.Equals(ContentHash, other.ContentHash, StringComparison.Ordinal)
                && string.Equals(Content, other.Content, StringComparison.Ordinal)
                && Tags.SequenceEqual(other.Tags, StringComparer.Ordinal)));

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as Document);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Id, Uuid, Version, Status, ContentHash);

    /// <inheritdoc />
    public override string ToString() => $"Document {Id} v{Version} '{Title}' ({Type}, {Status})";
}
