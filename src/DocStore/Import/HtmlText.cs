using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace DocStore.Import;

/// <summary>Turns HTML into readable plain text: scripts and styles dropped, block tags become line breaks, entities decoded.</summary>
public static partial class HtmlText
{
    /// <summary>Extracts the text of an HTML document.</summary>
    /// <param name="html">The HTML.</param>
    /// <returns>Plain text with paragraphs separated by blank lines.</returns>
    public static string ToPlainText(string html)
    {
        ArgumentNullException.ThrowIfNull(html);
        var text = InvisibleElements().Replace(html, " ");
        text = Comments().Replace(text, " ");
        text = BlockTags().Replace(text, "\n");
        text = AnyTag().Replace(text, " ");
        text = WebUtility.HtmlDecode(text);

        var builder = new StringBuilder(text.Length);
        var blankLines = 0;
        foreach (var rawLine in text.Split('\n'))
        {
            var line = Spaces().Replace(rawLine, " ").Trim();
            if (line.Length == 0)
            {
                blankLines++;
                continue;
            }

            if (builder.Length > 0)
            {
                builder.Append(blankLines > 0 ? "\n\n" : "\n");
            }

            builder.Append(line);
            blankLines = 0;
        }

        return builder.ToString();
    }

    /// <summary>The text of the first <c>&lt;title&gt;</c> (or <c>&lt;h1&gt;</c>) element, or null.</summary>
    /// <param name="html">The HTML.</param>
    /// <returns>The decoded, trimmed title or null.</returns>
    public static string? Title(string html)
    {
        ArgumentNullException.ThrowIfNull(html);
        var match = TitleElement().Match(html);
        if (!match.Success)
        {
            return null;
        }

        var title = Spaces().Replace(WebUtility.HtmlDecode(AnyTag().Replace(match.Groups[2].Value, " ")), " ").Trim();
        return title.Length == 0 ? null : title;
    }

    [GeneratedRegex(@"<(script|style|noscript|template)\b[^>]*>.*?</\1\s*>", RegexOptions.IgnoreCase | RegexOptions.Singleline | RegexOptions.CultureInvariant)]
    private static partial Regex InvisibleElements();

    [GeneratedRegex(@"<!--.*?-->", RegexOptions.Singleline)]
    private static partial Regex Comments();

    [GeneratedRegex(@"<(/?(p|div|br|li|ul|ol|tr|table|h[1-6]|pre|blockquote|section|article|dt|dd|dl|hr)\b)[^>]*>", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex BlockTags();

    [GeneratedRegex(@"<[^>]*>", RegexOptions.Singleline)]
    private static partial Regex AnyTag();

    [GeneratedRegex(@"[ \t\r\f\v\u00a0]+")]
    private static partial Regex Spaces();

    [GeneratedRegex(@"<(title|h1)\b[^>]*>(.*?)</\1\s*>", RegexOptions.IgnoreCase | RegexOptions.Singleline | RegexOptions.CultureInvariant)]
    private static partial Regex TitleElement();
}
