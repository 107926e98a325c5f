namespace DocStore;

/// <summary>Counts and sizes of a store, as read from the file.</summary>
public sealed class StoreStatistics
{
    /// <summary>Documents that are not deleted.</summary>
    public required long DocumentCount { get; init; }

    /// <summary>Documents per status, including soft-deleted ones.</summary>
    public required IReadOnlyDictionary<DocumentStatus, long> CountByStatus { get; init; }

    /// <summary>Documents (not deleted) per type.</summary>
    public required IReadOnlyDictionary<string, long> CountByType { get; init; }

    /// <summary>Total UTF-8 content bytes of documents that are not deleted.</summary>
    public required long TotalContentBytes { get; init; }

    /// <summary>Versions kept: every document's replaced versions, plus its current one.</summary>
    public required long VersionCount { get; init; }

    /// <summary>Rows in the audit log.</summary>
    public required long AuditEntryCount { get; init; }

    /// <summary>Distinct tags in use.</summary>
    public required long DistinctTagCount { get; init; }

    /// <summary>Size of the database file in bytes (page count times page size; the WAL is not included).</summary>
    public required long DatabaseBytes { get; init; }
}
