namespace DocStore;

/// <summary>An update expected a version the document no longer has. Nothing was written; re-read and retry.</summary>
public sealed class VersionConflictException : DocStoreException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="documentId">The document.</param>
    /// <param name="expectedVersion">The version the caller expected.</param>
    /// <param name="actualVersion">The version stored, or null when another writer changed it underneath.</param>
    public VersionConflictException(long documentId, int expectedVersion, int? actualVersion)
        : base(actualVersion is { } actual
            ? $"Document {documentId} is at version {actual}, not the expected {expectedVersion}. Re-read it and apply the change again."
            : $"Document {documentId} was changed by another writer while version {expectedVersion} was being updated. Re-read it and apply the change again.")
    {
        DocumentId = documentId;
        ExpectedVersion = expectedVersion;
        ActualVersion = actualVersion;
    }

    /// <summary>The document.</summary>
    public long DocumentId { get; }

    /// <summary>The version the caller expected.</summary>
    public int ExpectedVersion { get; }

    /// <summary>The version found, when known.</summary>
    public int? ActualVersion { get; }
}
