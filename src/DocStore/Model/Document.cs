using System.Diagnostics.CodeAnalysis;

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
public sealed class Document : DocumentContent, IEquatable<Document>
{
    /// <summary>Creates a document; an object initializer sets every required field.</summary>
    public Document()
    {
    }

    [SetsRequiredMembers]
    internal Document(in Sql.StoredContent stored, long id, Guid uuid, int version, DateTimeOffset createdAt, DateTimeOffset updatedAt, DateTimeOffset? lastAccessedAt, long accessCount)
        : base(stored)
    {
        Id = id;
        Uuid = uuid;
        Version = version;
        CreatedAt = createdAt;
        UpdatedAt = updatedAt;
        LastAccessedAt = lastAccessedAt;
        AccessCount = accessCount;
    }

    /// <summary>The row id, assigned on create.</summary>
    public required long Id { get; init; }

    /// <summary>A globally unique id (UUID version 7, time-ordered), assigned on create.</summary>
    public required Guid Uuid { get; init; }

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
                && AccessCount == other.AccessCount
                && CreatedAt == other.CreatedAt
                && UpdatedAt == other.UpdatedAt
                && LastAccessedAt == other.LastAccessedAt
                && ContentEquals(other)));

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as Document);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Id, Uuid, Version, Status, ContentHash);

    /// <inheritdoc />
    public override string ToString() => $"Document {Id} v{Version} '{Title}' ({Type}, {Status})";
}
