namespace DocStore;

/// <summary>
/// The storage engine failed underneath a store operation (I/O error, full disk, busy past the timeout, a
/// read-only file...). Any write was rolled back. <see cref="StoreCorruptedException"/> is the case of a damaged
/// file. <see cref="Kind"/> says what failed in the same words for every engine; the engine's own error (with its
/// native code) is the <see cref="Exception.InnerException"/>.
/// </summary>
public class StorageException : DocStoreException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What failed and what to do.</param>
    /// <param name="kind">What kind of failure it is.</param>
    /// <param name="innerException">The engine's exception.</param>
    public StorageException(string message, StorageErrorKind kind, Exception? innerException)
        : base(message, innerException)
    {
        Kind = kind;
    }

    /// <summary>What kind of failure it is.</summary>
    public StorageErrorKind Kind { get; }
}
