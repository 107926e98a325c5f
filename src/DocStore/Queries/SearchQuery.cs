namespace DocStore;

/// <summary>A full-text search: ranked by BM25, a highlighted snippet per hit, the same filters as a listing.</summary>
public sealed class SearchQuery : DocumentQueryBase
{
    /// <summary>The longest query text accepted, in characters.</summary>
    public const int MaxTextLength = 1000;

    /// <summary>The query text.</summary>
    public required string Text { get; init; }

    /// <summary>
    /// How <see cref="Text"/> is read. <see cref="SearchMode.Simple"/> (the default) is safe for user
    /// input; <see cref="SearchMode.Advanced"/> passes FTS5 syntax through.
    /// </summary>
    public SearchMode Mode { get; init; } = SearchMode.Simple;

    /// <summary>Inserted before each highlighted term in a snippet.</summary>
    public string HighlightStart { get; init; } = "<mark>";

    /// <summary>Inserted after each highlighted term in a snippet.</summary>
    public string HighlightEnd { get; init; } = "</mark>";
}
