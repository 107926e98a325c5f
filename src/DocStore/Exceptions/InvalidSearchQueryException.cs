namespace DocStore;

/// <summary>A search query was empty, too long, or (in advanced mode) not valid FTS5 syntax.</summary>
public sealed class InvalidSearchQueryException : DocStoreException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong with the query.</param>
    /// <param name="innerException">The SQLite error, when the engine rejected the query.</param>
    public InvalidSearchQueryException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
