using DocStore.Hosting;

namespace DocStore.Notes;

/// <summary>
/// Names the audit log's actor from the HTTP request: the signed-in user when there is one, else the
/// <c>X-Actor</c> header (this sample has no sign-in), else null (the configured default).
/// </summary>
internal sealed class HttpActorProvider(IHttpContextAccessor http) : IDocStoreActorProvider
{
    private const int MaxLength = 100;

    public string? GetCurrentActor()
    {
        var context = http.HttpContext;
        if (context is null)
        {
            return null;
        }

        if (context.User.Identity is { IsAuthenticated: true, Name: { Length: > 0 } name })
        {
            return name;
        }

        var header = context.Request.Headers["X-Actor"].ToString().Trim();
        return header.Length == 0 ? null : header.Length > MaxLength ? header[..MaxLength] : header;
    }
}
