namespace DocStore;

/// <summary>
/// The database file is damaged: SQLite found a malformed page, or the file's schema is incomplete
/// (a table or index DocStore needs is missing). Nothing was written by the failed call. Run
/// <c>VerifyAsync</c> to see what is damaged, and restore the file from a backup.
/// </summary>
public sealed class StoreCorruptedException : StorageException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is damaged and what to do.</param>
    /// <param name="sqliteErrorCode">SQLite's primary result code (11 for a malformed file, 26 for a file that is not a database; 0 for a schema found incomplete by DocStore).</param>
    /// <param name="innerException">The SQLite error, if any.</param>
    public StoreCorruptedException(string message, int sqliteErrorCode, Exception? innerException = null)
        : base(message, sqliteErrorCode, innerException)
    {
    }
}
