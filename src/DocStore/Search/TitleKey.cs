using System.Text;
using System.Text.RegularExpressions;

namespace DocStore.Search;

/// <summary>
/// A title as a reader would type it, for "this search is that document's title": without a leading
/// section number ("Chapter 31.", "42.1.", "F.6.", "Part II."), case, or punctuation between words.
/// Stored per document (column <c>title_key</c>, indexed) so a search finds the documents whose key
/// equals its text's key with one index lookup, however many documents the words match.
/// </summary>
internal static partial class TitleKey
{
    /// <summary>The SQL function a schema upgrade calls to fill the column of existing documents.</summary>
    public const string SqlFunction = "docstore_title_key";

    /// <summary>The key of <paramref name="title"/>: lower-case words separated by single spaces; empty if it has no words.</summary>
    public static string Of(string title)
    {
        ArgumentNullException.ThrowIfNull(title);
        // Not Unicode-normalized: the full-text tokenizer does not normalize either, and text may hold lone surrogates.
        var text = title;
        var numbering = SectionNumber().Match(text);
        if (numbering.Success && numbering.Length < text.Length)
        {
            text = text[numbering.Length..];
        }

        var key = new StringBuilder(text.Length);
        var space = false;
        foreach (var rune in text.EnumerateRunes())
        {
            if (Rune.IsLetterOrDigit(rune))
            {
                if (space && key.Length > 0)
                {
                    key.Append(' ');
                }

                key.Append(Rune.ToLowerInvariant(rune).ToString());
                space = false;
            }
            else
            {
                space = true;
            }
        }

        return key.ToString();
    }

    // "Chapter 31." / "Appendix F." / "Part II." / "Section 2:"; "42.1." / "42.1" (a dotted number); "7." / "F.6.".
    // A lone number or letter without a dot ("2024 Roadmap", "A Complete Example") is part of the title.
    [GeneratedRegex(
        @"^\s*(?:(?i:chapter|appendix|part|section)\s+(?:\d+|[A-Z]|[IVXLCDM]+)(?:\.\d+)*[.:]?|\d+(?:\.\d+)+\.?|\d+\.|[A-Z](?:\.\d+)*\.)\s+",
        RegexOptions.CultureInvariant)]
    private static partial Regex SectionNumber();
}
