namespace DocStore;

/// <summary>A write was rejected because one or more fields are invalid. Nothing was written.</summary>
public sealed class DocumentValidationException : DocStoreException
{
    /// <summary>Creates the exception from the list of bad fields.</summary>
    /// <param name="errors">Every invalid field found (not just the first).</param>
    public DocumentValidationException(IReadOnlyList<ValidationError> errors)
        : base("The document is invalid: " + string.Join("; ", errors))
    {
        Errors = errors;
    }

    /// <summary>Every invalid field, in the order found.</summary>
    public IReadOnlyList<ValidationError> Errors { get; }
}
