namespace DocStore;

/// <summary>
/// The key does not fit the file: a wrong key, a key given for a plaintext file, or no key for an
/// encrypted file. The file was not changed. The message never contains the key.
/// </summary>
public sealed class EncryptionKeyException : DocStoreException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What does not fit and what to do.</param>
    /// <param name="innerException">The SQLite error, if any.</param>
    public EncryptionKeyException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
