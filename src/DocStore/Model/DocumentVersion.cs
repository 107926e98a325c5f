using System.Diagnostics.CodeAnalysis;

namespace DocStore;

/// <summary>A full snapshot of a document as one version left it (its shared fields as they were at that version).</summary>
public sealed class DocumentVersion : DocumentContent, IEquatable<DocumentVersion>
{
    /// <summary>Creates a version; an object initializer sets every required field.</summary>
    public DocumentVersion()
    {
    }

    [SetsRequiredMembers]
    internal DocumentVersion(in Sql.StoredContent stored, long documentId, int version, DateTimeOffset createdAt, string actor)
        : base(stored)
    {
        DocumentId = documentId;
        Version = version;
        CreatedAt = createdAt;
        Actor = actor;
    }

    /// <summary>The document id.</summary>
    public required long DocumentId { get; init; }

    /// <summary>The version number this snapshot records.</summary>
    public required int Version { get; init; }

    /// <summary>When this version was written (UTC).</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>Who wrote this version.</summary>
    public required string Actor { get; init; }

    /// <summary>Value equality over every field (tags compared in order).</summary>
    /// <param name="other">The other snapshot.</param>
    /// <returns>True when every field is equal.</returns>
    public bool Equals(DocumentVersion? other) =>
        other is not null
        && (ReferenceEquals(this, other)
            || (DocumentId == other.DocumentId
                && Version == other.Version
                && CreatedAt == other.CreatedAt
                && string.Equals(Actor, other.Actor, StringComparison.Ordinal)
                && ContentEquals(other)));

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as DocumentVersion);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(DocumentId, Version, ContentHash);

    /// <inheritdoc />
    public override string ToString() => $"Version {Version} of document {DocumentId} '{Title}' ({Status}, by {Actor})";
}
