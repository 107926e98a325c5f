using Ganss.Xss;
using Markdig;

namespace DocStore.Notes.Rendering;

/// <summary>
/// A document as HTML for the page: Markdown through Markdig (common extensions), HTML documents as they are,
/// anything else as preformatted text; every result through HtmlSanitizer, since documents come from users
/// and imports (a script or an event handler attribute in a note must not run in a reader's browser).
/// </summary>
internal sealed class MarkdownRenderer
{
    private readonly MarkdownPipeline _pipeline = new MarkdownPipelineBuilder().UseAdvancedExtensions().Build();
    private readonly HtmlSanitizer _sanitizer = new();

    public string Render(Document document)
    {
        var html = document.Format switch
        {
            "markdown" or "md" => Markdown.ToHtml(document.Content, _pipeline),
            "html" => document.Content,
            _ => "<pre>" + System.Net.WebUtility.HtmlEncode(document.Content) + "</pre>",
        };

        // One configured instance shared by all requests; the lock makes that safe whatever the library guarantees.
        lock (_sanitizer)
        {
            return _sanitizer.Sanitize(html);
        }
    }
}
