namespace DocStore;

/// <summary>The life-cycle state of a document. Stored as its integer value.</summary>
public enum DocumentStatus
{
    /// <summary>Work in progress; visible to reads.</summary>
    Draft = 0,

    /// <summary>Published; the default for new documents.</summary>
    Active = 1,

    /// <summary>Kept for reference; visible to reads.</summary>
    Archived = 2,

    /// <summary>Soft-deleted: hidden from get, list (unless asked for) and search. Restorable from history.</summary>
    Deleted = 3,
}
