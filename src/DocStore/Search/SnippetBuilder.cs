using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace DocStore.Search;

/// <summary>
/// Builds a search hit's snippet from FTS5's <c>highlight()</c> of each column, in one pass over the text.
/// FTS5's own <c>snippet()</c> scores every match against every other one: its cost grows with the square of
/// how often a term occurs in a document (40,000 occurrences took over 7 s, a 10 MiB document minutes).
/// <c>highlight()</c> is linear, so a search's cost stays bounded by the configured size limits whatever a
/// document holds. Both read paths use this, so their snippets are identical.
/// </summary>
/// <remarks>
/// The snippet is the window of <see cref="WindowWords"/> words with the most distinct matched words, then
/// the most matches, then the match nearest to <see cref="LeadWords"/> words from the window's start; the
/// column with the best window wins (ties go to the earlier column, as with <c>snippet(..., -1, ...)</c>).
/// Words are runs of letters, digits and marks. The markers given to <c>highlight()</c> are private-use
/// characters (<see cref="Open"/> and <see cref="Close"/> unless the text holds them: see <see cref="FreeMarkers"/>).
/// </remarks>
internal static class SnippetBuilder
{
    public const char Open = '\uE000';
    public const char Close = '\uE001';
    public const int WindowWords = 16;
    public const string Ellipsis = "…";
    private const int LeadWords = 2;

    /// <summary>Markers absent from <paramref name="text"/>, for a document whose text holds the default ones; null if none is free.</summary>
    public static (char Open, char Close)? FreeMarkers(string text)
    {
        char? first = null;
        for (var c = '\uE002'; c < '\uF8FF'; c++)
        {
            if (text.Contains(c, StringComparison.Ordinal))
            {
                continue;
            }

            if (first is { } open)
            {
                return (open, c);
            }

            first = c;
        }

        return null;
    }

    /// <summary>The snippet from the highlighted columns (title, content, tags), with the caller's markers.</summary>
    /// <param name="highlightedColumns">Each column as <c>highlight()</c> returned it, with <paramref name="open"/> and <paramref name="close"/> around matches.</param>
    /// <param name="open">The opening marker given to <c>highlight()</c>.</param>
    /// <param name="close">The closing marker given to <c>highlight()</c>.</param>
    /// <param name="highlightStart">The caller's opening marker.</param>
    /// <param name="highlightEnd">The caller's closing marker.</param>
    public static string Build(IReadOnlyList<string?> highlightedColumns, char open, char close, string highlightStart, string highlightEnd)
    {
        var markers = new Markers(open, close);
        Window? best = null;
        string? bestText = null;
        foreach (var text in highlightedColumns)
        {
            if (string.IsNullOrEmpty(text))
            {
                continue;
            }

            var window = BestWindow(text, markers);
            if (window.Hits > 0 && (best is null || window.Distinct > best.Distinct || (window.Distinct == best.Distinct && window.Hits > best.Hits)))
            {
                best = window;
                bestText = text;
            }
        }

        if (best is null)
        {
            // No column shows a match (e.g. a NOT-only hit): the start of the first non-empty column.
            bestText = highlightedColumns.Skip(1).FirstOrDefault(t => !string.IsNullOrEmpty(t)) ?? highlightedColumns.FirstOrDefault(t => !string.IsNullOrEmpty(t));
            if (bestText is null)
            {
                return string.Empty;
            }

            best = BestWindow(bestText, markers);
        }

        return Render(bestText!, best, markers, highlightStart, highlightEnd);
    }

    /// <summary>Slides a window of <see cref="WindowWords"/> words over the text once, keeping the best-scoring one.</summary>
    private static Window BestWindow(string text, Markers markers)
    {
        var ring = new Word[WindowWords];
        var counts = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        var lookup = counts.GetAlternateLookup<ReadOnlySpan<char>>();
        var distinct = 0;
        var hits = 0;
        var index = 0;
        Window? best = null;
        var inside = false;
        var i = 0;
        while (i < text.Length)
        {
            // Skip separators, following the highlight markers.
            var c = text[i];
            if (!IsWordStart(text, i, markers))
            {
                inside = c == markers.Open || (c != markers.Close && inside);
                i++;
                continue;
            }

            var start = i;
            var highlighted = inside;
            while (i < text.Length && IsWordStart(text, i, markers))
            {
                i += char.IsSurrogatePair(text, i) ? 2 : 1;
            }

            var word = new Word(start, i, highlighted);
            ref var slot = ref ring[index % WindowWords];
            if (index >= WindowWords && slot.Highlighted)
            {
                // The word leaving the window.
                ref var left = ref CollectionsMarshal.GetValueRefOrNullRef(lookup, text.AsSpan(slot.Start, slot.End - slot.Start));
                if (--left == 0)
                {
                    distinct--;
                }

                hits--;
            }

            slot = word;
            if (highlighted)
            {
                ref var count = ref CollectionsMarshal.GetValueRefOrAddDefault(lookup, text.AsSpan(start, i - start), out _);
                if (count++ == 0)
                {
                    distinct++;
                }

                hits++;
            }

            index++;
            var first = Math.Max(0, index - WindowWords);
            if (hits > 0 || best is null)
            {
                var lead = LeadOf(ring, first, index);
                if (best is null || Better(distinct, hits, lead, best))
                {
                    best = new Window(first, index, distinct, hits, lead, Snapshot(ring, first, index));
                }
            }
        }

        best ??= new Window(0, 0, 0, 0, 0, []);
        best.TotalWords = index;
        return best;
    }

    private static bool Better(int distinct, int hits, int lead, Window best) =>
        distinct > best.Distinct
        || (distinct == best.Distinct && hits > best.Hits)
        || (distinct == best.Distinct && hits == best.Hits && Math.Abs(lead - LeadWords) < Math.Abs(best.Lead - LeadWords));

    /// <summary>How many words precede the window's first match (the window is words [first, end)).</summary>
    private static int LeadOf(Word[] ring, int first, int end)
    {
        for (var w = first; w < end; w++)
        {
            if (ring[w % WindowWords].Highlighted)
            {
                return w - first;
            }
        }

        return WindowWords;
    }

    private static Word[] Snapshot(Word[] ring, int first, int end)
    {
        var words = new Word[end - first];
        for (var w = first; w < end; w++)
        {
            words[w - first] = ring[w % WindowWords];
        }

        return words;
    }

    private static string Render(string text, Window window, Markers markers, string highlightStart, string highlightEnd)
    {
        if (window.Words.Length == 0)
        {
            return string.Empty;
        }

        var from = window.Words[0].Start;
        var to = window.Words[^1].End;
        var snippet = new StringBuilder((to - from) + 32);
        if (window.First > 0)
        {
            snippet.Append(Ellipsis);
        }

        var inside = window.Words[0].Highlighted;
        if (inside)
        {
            snippet.Append(highlightStart);
        }

        for (var i = from; i < to; i++)
        {
            var c = text[i];
            if (c == markers.Open)
            {
                if (!inside)
                {
                    snippet.Append(highlightStart);
                    inside = true;
                }
            }
            else if (c == markers.Close)
            {
                if (inside)
                {
                    snippet.Append(highlightEnd);
                    inside = false;
                }
            }
            else
            {
                snippet.Append(c);
            }
        }

        if (inside)
        {
            snippet.Append(highlightEnd);
        }

        if (window.First + window.Words.Length < window.TotalWords)
        {
            snippet.Append(Ellipsis);
        }

        return snippet.ToString();
    }

    /// <summary>Whether the character at <paramref name="i"/> belongs to a word (a letter, digit or mark, surrogate pairs included).</summary>
    private static bool IsWordStart(string text, int i, Markers markers)
    {
        var c = text[i];
        if (c == markers.Open || c == markers.Close)
        {
            return false;
        }

        var category = char.IsSurrogatePair(text, i) ? CharUnicodeInfo.GetUnicodeCategory(char.ConvertToUtf32(text, i)) : CharUnicodeInfo.GetUnicodeCategory(c);
        return category is UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
            or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter or UnicodeCategory.DecimalDigitNumber
            or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber or UnicodeCategory.NonSpacingMark
            or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark;
    }

    private readonly record struct Markers(char Open, char Close);

    private readonly record struct Word(int Start, int End, bool Highlighted);

    private sealed class Window(int first, int end, int distinct, int hits, int lead, Word[] words)
    {
        public int First { get; } = first;

        public int End { get; } = end;

        public int Distinct { get; } = distinct;

        public int Hits { get; } = hits;

        public int Lead { get; } = lead;

        public Word[] Words { get; } = words;

        public int TotalWords { get; set; }
    }
}
