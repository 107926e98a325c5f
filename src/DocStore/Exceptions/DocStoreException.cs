namespace DocStore;

/// <summary>The base of every exception DocStore throws on purpose. Catch it to handle any store failure.</summary>
public class DocStoreException : Exception
{
    /// <summary>Creates the exception.</summary>
    public DocStoreException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What went wrong and what to do.</param>
    public DocStoreException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    /// <param name="message">What went wrong and what to do.</param>
    /// <param name="innerException">The cause.</param>
    public DocStoreException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
