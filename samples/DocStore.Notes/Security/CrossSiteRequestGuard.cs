namespace DocStore.Notes.Security;

/// <summary>
/// Refuses a state-changing request (POST, PUT, PATCH, DELETE) that a browser sent from another site: its
/// <c>Sec-Fetch-Site</c> says cross-site or same-site, or its <c>Origin</c> is not this app's. Scripts and
/// <c>curl</c> send neither header and pass, uploads included; the page's own requests are same-origin.
/// (Antiforgery tokens would do the same for forms, but would also refuse every script that calls the API.)
/// </summary>
internal sealed class CrossSiteRequestGuard(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        if (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method) || IsSameSite(request))
        {
            await next(context);
            return;
        }

        context.Response.StatusCode = StatusCodes.Status403Forbidden;
        await Results.Problem(
            statusCode: StatusCodes.Status403Forbidden,
            title: "Cross-site request refused.",
            detail: "A page from another site may not change notes. Call the API from the app's own page, or from a script (which sends no Origin header).").ExecuteAsync(context);
    }

    private static bool IsSameSite(HttpRequest request)
    {
        // Browsers that send Sec-Fetch-Site say themselves whether the page is of this origin; trust that alone, since
        // behind a proxy that terminates TLS the request's own scheme (http) differs from the page's (https).
        var site = request.Headers["Sec-Fetch-Site"].ToString();
        if (site.Length > 0)
        {
            return site is "same-origin" or "none";
        }

        // Older browsers: the Origin's host and port must be this app's. No Origin either: a script, not a page.
        var origin = request.Headers.Origin.ToString();
        return origin.Length == 0
            || (Uri.TryCreate(origin, UriKind.Absolute, out var uri) && string.Equals(uri.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase));
    }
}
