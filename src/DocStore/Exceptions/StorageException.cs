namespace DocStore;

/// <summary>SQLite failed underneath a store operation (I/O error, full disk, busy past the timeout...). Any write was rolled back.</summary>
public sealed class StorageException : DocStoreException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What the store was doing.</param>
    /// <param name="sqliteErrorCode">The SQLite result code.</param>
    /// <param name="innerException">The underlying exception.</param>
    public StorageException(string message, int sqliteErrorCode, Exception? innerException)
        : base(message, innerException)
    {
        SqliteErrorCode = sqliteErrorCode;
    }

    /// <summary>The SQLite result code (e.g. 5 busy, 13 full, 26 not a database).</summary>
    public int SqliteErrorCode { get; }
}
