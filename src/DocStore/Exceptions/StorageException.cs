namespace DocStore;

/// <summary>
/// SQLite failed underneath a store operation (I/O error, full disk, busy past the timeout, a read-only
/// file...). Any write was rolled back. <see cref="StoreCorruptedException"/> is the case of a damaged file.
/// </summary>
public class StorageException : DocStoreException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What failed and what to do.</param>
    /// <param name="sqliteErrorCode">The SQLite primary result code.</param>
    /// <param name="innerException">The underlying exception.</param>
    public StorageException(string message, int sqliteErrorCode, Exception? innerException)
        : base(message, innerException)
    {
        SqliteErrorCode = sqliteErrorCode;
    }

    /// <summary>The SQLite primary result code (e.g. 5 busy, 10 I/O error, 11 corrupt, 13 full, 26 not a database).</summary>
    public int SqliteErrorCode { get; }
}
