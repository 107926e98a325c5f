using System.Diagnostics.CodeAnalysis;
using DocStore.Sql;

namespace DocStore;

/// <summary>
/// The fields a document and each of its versions share: what a version records and a restore brings back.
/// Instances are immutable.
/// </summary>
public abstract class DocumentContent
{
    /// <summary>For object initializers, which set every required field.</summary>
    protected DocumentContent()
    {
    }

    /// <summary>The shared fields from their stored form: the one place they are copied.</summary>
    [SetsRequiredMembers]
    private protected DocumentContent(in StoredContent stored)
    {
        Title = stored.Title;
        Type = stored.Type;
        Status = stored.Status;
        Content = stored.Content;
        Format = stored.Format;
        Language = stored.Language;
        SourcePath = stored.SourcePath;
        Tags = stored.TagList;
        Metadata = stored.Metadata;
        ContentHash = stored.ContentHash;
        SizeBytes = stored.SizeBytes;
    }

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

    /// <summary>Whether every shared field equals <paramref name="other"/>'s (tags compared in order).</summary>
    /// <param name="other">The other document or version.</param>
    /// <returns>True when every shared field is equal.</returns>
    protected bool ContentEquals(DocumentContent other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return Status == other.Status
            && SizeBytes == other.SizeBytes
            && string.Equals(Title, other.Title, StringComparison.Ordinal)
            && string.Equals(Type, other.Type, StringComparison.Ordinal)
            && string.Equals(Format, other.Format, StringComparison.Ordinal)
            && string.Equals(Language, other.Language, StringComparison.Ordinal)
            && string.Equals(SourcePath, other.SourcePath, StringComparison.Ordinal)
            && string.Equals(Metadata, other.Metadata, StringComparison.Ordinal)
            && string.Equals(ContentHash, other.ContentHash, StringComparison.Ordinal)
            && string.Equals(Content, other.Content, StringComparison.Ordinal)
            && Tags.SequenceEqual(other.Tags, StringComparer.Ordinal);
    }
}
