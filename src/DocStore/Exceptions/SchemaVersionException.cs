namespace DocStore;

/// <summary>The file was made by a newer DocStore (or is not a DocStore file); it was not changed.</summary>
public sealed class SchemaVersionException : DocStoreException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What was found and what to do.</param>
    /// <param name="fileVersion">The schema version recorded in the file.</param>
    /// <param name="supportedVersion">The newest schema version this build understands.</param>
    public SchemaVersionException(string message, long fileVersion, int supportedVersion)
        : base(message)
    {
        FileVersion = fileVersion;
        SupportedVersion = supportedVersion;
    }

    /// <summary>The schema version recorded in the file.</summary>
    public long FileVersion { get; }

    /// <summary>The newest schema version this build understands.</summary>
    public int SupportedVersion { get; }
}
