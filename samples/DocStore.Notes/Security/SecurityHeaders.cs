namespace DocStore.Notes.Security;

/// <summary>
/// Headers on every response that keep a note's content from acting in the page: a Content-Security-Policy with
/// no inline script, styles only from the app, images from the app (and from anywhere when remote images are
/// allowed), no framing by other sites; <c>nosniff</c>; no referrer sent to links in notes.
/// </summary>
internal sealed class SecurityHeaders(RequestDelegate next, Microsoft.Extensions.Options.IOptions<NotesOptions> options)
{
    private readonly string _policy =
        "default-src 'self'; script-src 'self'; style-src 'self'; " +
        (options.Value.AllowRemoteImages ? "img-src 'self' data: https:; " : "img-src 'self' data:; ") +
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    public Task InvokeAsync(HttpContext context)
    {
        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = _policy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        return next(context);
    }
}
