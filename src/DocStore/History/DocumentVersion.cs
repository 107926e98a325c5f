namespace DocStore;

/// <summary>A full snapshot of a document as one version left it.</summary>
public sealed class DocumentVersion
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
}
