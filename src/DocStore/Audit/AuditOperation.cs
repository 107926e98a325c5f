namespace DocStore;

/// <summary>The write operations the audit log records.</summary>
public enum AuditOperation
{
    /// <summary>A document was created (one row per document of a batch).</summary>
    Create,

    /// <summary>A document was updated.</summary>
    Update,

    /// <summary>A document was soft-deleted.</summary>
    Delete,

    /// <summary>A document was removed with its history.</summary>
    HardDelete,

    /// <summary>An earlier version was restored as a new version.</summary>
    Restore,

    /// <summary>The encryption key was changed.</summary>
    RotateKey,
}
