namespace DocStore;

/// <summary>What kind of storage failure a <see cref="StorageException"/> reports, whatever the engine underneath.</summary>
public enum StorageErrorKind
{
    /// <summary>A failure of another kind; the inner exception has the engine's own error.</summary>
    Other = 0,

    /// <summary>Another connection held the lock for longer than the busy timeout.</summary>
    Busy,

    /// <summary>The disk (or the engine's size limit) is full.</summary>
    DiskFull,

    /// <summary>The database is read-only (file permissions, a read-only mount).</summary>
    ReadOnly,

    /// <summary>The database cannot be opened (a missing folder, no permission).</summary>
    CannotOpen,

    /// <summary>An input/output error of the operating system.</summary>
    IOError,

    /// <summary>The engine found the database malformed.</summary>
    Corrupt,

    /// <summary>The file is not a database, or it is encrypted and no key (or the wrong key) was given.</summary>
    NotADatabase,

    /// <summary>The database is a DocStore whose schema is incomplete (DocStore's own check).</summary>
    SchemaIncomplete,
}
