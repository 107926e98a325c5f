namespace DocStore;

/// <summary>
/// A key was configured but no cipher-capable SQLite (SQLCipher) is loaded in this process. Nothing
/// was opened or written: DocStore never writes plaintext when encryption was asked for.
/// </summary>
public sealed class EncryptionUnavailableException : DocStoreException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">Why, and how to install or select SQLCipher.</param>
    public EncryptionUnavailableException(string message)
        : base(message)
    {
    }
}
