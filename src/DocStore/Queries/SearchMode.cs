namespace DocStore;

/// <summary>How a search reads its text.</summary>
public enum SearchMode
{
    /// <summary>
    /// Safe for user input: the text is split on white space, each term is quoted (so operators,
    /// column filters and quotes are plain text), a trailing <c>*</c> makes a term a prefix, and all
    /// terms must match.
    /// </summary>
    Simple = 0,

    /// <summary>The text is FTS5 query syntax, passed through; a syntax error gives <see cref="InvalidSearchQueryException"/>.</summary>
    Advanced = 1,
}
