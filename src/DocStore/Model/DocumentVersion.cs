namespace DocStore;

/// <summary>A full snapshot of a document as one version left it.</summary>
public sealed class DocumentVersion : IEquatable<DocumentVersion>
{
    /// <summary>The document id.</summary>
    public required long DocumentId { get; init; }

    /// <summary>The version number this snapshot records.</summary>
    public required int Version { get; init; }

    /// <summary>The title at this version.</summary>
    public required string Title { get; init; }

    /// <summary>The type at this version.</summary>
    public required string Type { get; init; }

    /// <summary>The status at this version.</summary>
    public required DocumentStatus Status { get; init; }

    /// <summary>The content at this version.</summary>
    public required string Content { get; init; }

    /// <summary>The format at this version.</summary>
    public required string Format { get; init; }

    /// <summary>The language at this version.</summary>
    public string? Language { get; init; }

    /// <summary>The source path at this version.</summary>
    public string? SourcePath { get; init; }

    /// <summary>The tags at this version.</summary>
    public required IReadOnlyList<string> Tags { get; init; }

    /// <summary>The metadata at this version (compact JSON object).</summary>
    public required string Metadata { get; init; }

    /// <summary>SHA-256 of the content at this version.</summary>
    public required string ContentHash { get; init; }

    /// <summary>UTF-8 size of the content at this version.</summary>
    public required long SizeBytes { get; init; }

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
                && Status == other.Status
                && SizeBytes == other.SizeBytes
                && CreatedAt == other.CreatedAt
                && string.Equals(Title, other.Title, StringComparison.Ordinal)
                && string.Equals(Type, other.Type, StringComparison.Ordinal)
                && string.Equals(Format, other.Format, StringComparison.Ordinal)
                && string.Equals(Language, other.Language, StringComparison.Ordinal)
                && string.Equals(SourcePath, other.SourcePath, StringComparison.Ordinal)
                && string.Equals(Metadata, other.Metadata, StringComparison.Ordinal)
                && string.Equals(ContentHash, other.ContentHash, StringComparison.Ordinal)
                && string.Equals(Content, other.Content, StringComparison.Ordinal)
                && string.Equals(Actor, other.Actor, StringComparison.Ordinal)
                && Tags.SequenceEqual(other.Tags, StringComparer.Ordinal)));

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as DocumentVersion);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(DocumentId, Version, ContentHash);

    /// <inheritdoc />
    public override string ToString() => $"Version {Version} of document {DocumentId} '{Title}' ({Status}, by {Actor})";
}
