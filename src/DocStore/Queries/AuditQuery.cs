namespace DocStore;

/// <summary>A page of the audit log, newest first.</summary>
public sealed class AuditQuery
{
    /// <summary>Only entries about this document (null: the whole log).</summary>
    public long? DocumentId { get; init; }

    /// <summary>The 1-based page number.</summary>
    public int Page { get; init; } = 1;

    /// <summary>Items per page, 1 to 1000.</summary>
    public int PageSize { get; init; } = 50;
}
