using Ganss.Xss;
using Markdig;
using Microsoft.Extensions.Options;

namespace DocStore.Notes.Rendering;

/// <summary>
/// A document as HTML for the page: Markdown through Markdig (common extensions), HTML documents as they are,
/// anything else as preformatted text; every result through HtmlSanitizer with a strict allow-list, since
/// documents come from users and imports: no script or event handler, no <c>style</c> (a note could cover
/// the page), no form controls (a note could ask for a password), and no remote images (a tracking pixel
/// tells its site who read the note) unless <see cref="NotesOptions.AllowRemoteImages"/> is set.
/// Markdown that Markdig refuses (nested too deeply) is shown as escaped text with a notice.
/// </summary>
internal sealed class MarkdownRenderer
{
    private static readonly string[] RefusedTags =
        ["form", "input", "button", "select", "option", "optgroup", "textarea", "label", "fieldset", "legend", "datalist", "output", "style"];

    private readonly MarkdownPipeline _pipeline = new MarkdownPipelineBuilder().UseAdvancedExtensions().Build();
    private readonly HtmlSanitizer _sanitizer = new();

    public MarkdownRenderer(IOptions<NotesOptions> options)
    {
        foreach (var tag in RefusedTags)
        {
            _sanitizer.AllowedTags.Remove(tag);
        }

        _sanitizer.AllowedAttributes.Remove("style");
        _sanitizer.AllowedCssProperties.Clear();
        _sanitizer.AllowedAtRules.Clear();
        if (!options.Value.AllowRemoteImages)
        {
            // Links may point anywhere; everything else that loads a URL may only load from the app itself.
            _sanitizer.FilterUrl += (_, e) =>
            {
                if (!string.Equals(e.Tag.TagName, "A", StringComparison.OrdinalIgnoreCase) && Uri.TryCreate(e.OriginalUrl, UriKind.Absolute, out Uri? _))
                {
                    e.SanitizedUrl = null;
                }
            };
        }
    }

    public RenderedDocument Render(Document document)
    {
        string html;
        string? notice = null;
        try
        {
            html = document.Format switch
            {
                "markdown" or "md" => Markdown.ToHtml(document.Content, _pipeline),
                "html" => document.Content,
                _ => Preformatted(document.Content),
            };
        }
        catch (ArgumentException e)
        {
            // Markdig refuses input nested deeper than it parses (e.g. 50,000 '>'); the text is still readable.
            notice = $"This note could not be rendered as Markdown ({e.Message}); it is shown as plain text.";
            html = Preformatted(document.Content);
        }

        // One configured instance shared by all requests; the lock makes that safe whatever the library guarantees.
        lock (_sanitizer)
        {
            return new RenderedDocument(_sanitizer.Sanitize(html), notice);
        }
    }

    private static string Preformatted(string text) => "<pre>" + System.Net.WebUtility.HtmlEncode(text) + "</pre>";
}
