namespace DocStore;

/// <summary>
/// The database file is damaged: the engine found a malformed page, the file is not a database, or the file's
/// schema is incomplete (a table or index DocStore needs is missing). Nothing was written by the failed call.
/// Run <c>VerifyAsync</c> to see what is damaged, and restore the file from a backup.
/// </summary>
public sealed class StoreCorruptedException : StorageException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is damaged and what to do.</param>
    /// <param name="kind"><see cref="StorageErrorKind.Corrupt"/>, <see cref="StorageErrorKind.NotADatabase"/> or <see cref="StorageErrorKind.SchemaIncomplete"/>.</param>
    /// <param name="innerException">The engine's error, if any.</param>
    public StoreCorruptedException(string message, StorageErrorKind kind, Exception? innerException = null)
        : base(message, kind, innerException)
    {
    }
}
