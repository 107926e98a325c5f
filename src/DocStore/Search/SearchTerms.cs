using System.Text;

namespace DocStore.Search;

/// <summary>
/// Checks a search's text and splits a simple search into its terms, for every engine: each engine then writes
/// the terms in its own query language, so the same text is refused or accepted the same way everywhere.
/// </summary>
internal static class SearchTerms
{
    /// <summary>The most terms a simple query may have (longer queries only slow the index down).</summary>
    public const int MaxTerms = 32;

    /// <summary>
    /// A simple search's terms, each with whether it ends in '*' (a prefix), control characters and terms of
    /// punctuation alone dropped; null for an advanced search, whose text the engine reads as written.
    /// </summary>
    /// <exception cref="InvalidSearchQueryException">The text is missing, too long, empty, or has no searchable words or too many terms.</exception>
    public static List<(string Term, bool Prefix)>? Parse(SearchQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var text = query.Text ?? throw new InvalidSearchQueryException("The search text is required.");
        if (text.Length > SearchQuery.MaxTextLength)
        {
            throw new InvalidSearchQueryException(
                $"The search text is {text.Length} characters long; at most {SearchQuery.MaxTextLength} are allowed.");
        }

        if (query.Mode == SearchMode.Advanced)
        {
            if (string.IsNullOrWhiteSpace(text))
            {
                throw new InvalidSearchQueryException("The search text is empty.");
            }

            if (text.Contains('\0', StringComparison.Ordinal))
            {
                throw new InvalidSearchQueryException("The search text contains a NUL character.");
            }

            return null;
        }

        if (query.Mode != SearchMode.Simple)
        {
            throw new InvalidSearchQueryException($"Unknown search mode {(int)query.Mode}.");
        }

        var terms = new List<(string, bool)>();
        foreach (var raw in text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
        {
            var prefix = raw.Length > 1 && raw[^1] == '*';
            var term = Clean(prefix ? raw.TrimEnd('*') : raw);
            if (!HasWordCharacter(term))
            {
                // A term of punctuation only has no tokens; quoting it would match nothing at all.
                continue;
            }

            if (terms.Count == MaxTerms)
            {
                throw new InvalidSearchQueryException($"The search text has more than {MaxTerms} terms.");
            }

            terms.Add((term, prefix));
        }

        if (terms.Count == 0)
        {
            throw new InvalidSearchQueryException("The search text has no searchable words.");
        }

        return terms;
    }

    /// <summary>
    /// The title key (<see cref="TitleKey"/>) a simple search looks for when its whole text may be a title
    /// (at most 255 characters, no prefix '*'): a document with that key ranks first. Null in advanced mode
    /// or when the text has no words.
    /// </summary>
    public static string? ExactTitle(SearchQuery query)
    {
        var text = query.Text?.Trim();
        if (query.Mode != SearchMode.Simple || text is not { Length: > 0 and <= 255 } || text.EndsWith('*'))
        {
            return null;
        }

        var key = TitleKey.Of(text);
        return key.Length > 0 ? key : null;
    }

    private static string Clean(string term)
    {
        // Control characters (NUL included) are never part of a token; drop them rather than pass them to the engine.
        foreach (var c in term)
        {
            if (char.IsControl(c))
            {
                var clean = new StringBuilder(term.Length);
                foreach (var k in term)
                {
                    if (!char.IsControl(k))
                    {
                        clean.Append(k);
                    }
                }

                return clean.ToString();
            }
        }

        return term;
    }

    private static bool HasWordCharacter(string term)
    {
        foreach (var rune in term.EnumerateRunes())
        {
            if (Rune.IsLetterOrDigit(rune))
            {
                return true;
            }
        }

        return false;
    }
}
