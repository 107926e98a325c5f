namespace DocStore;

/// <summary>How an audited write ended.</summary>
public enum AuditOutcome
{
    /// <summary>Committed.</summary>
    Success,

    /// <summary>Rejected by validation before anything was written.</summary>
    Rejected,

    /// <summary>Rejected because the expected version did not match.</summary>
    Conflict,

    /// <summary>The document did not exist (or was deleted).</summary>
    NotFound,

    /// <summary>Failed while writing; the transaction was rolled back.</summary>
    Failed,
}
