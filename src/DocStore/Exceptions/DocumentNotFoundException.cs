namespace DocStore;

/// <summary>A write named a document (or version) that does not exist or is deleted. Nothing was written.</summary>
public sealed class DocumentNotFoundException : DocStoreException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="documentId">The missing document.</param>
    /// <param name="version">The missing version, when a version was asked for.</param>
    public DocumentNotFoundException(long documentId, int? version = null)
        : base(version is { } v
            ? $"Document {documentId} has no version {v}."
            : $"Document {documentId} does not exist or is deleted.")
    {
        DocumentId = documentId;
        Version = version;
    }

    /// <summary>The document asked for.</summary>
    public long DocumentId { get; }

    /// <summary>The version asked for, if any.</summary>
    public int? Version { get; }
}
