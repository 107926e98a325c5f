using DocStore.Hosting;

namespace DocStore.Notes;

/// <summary>
/// Names the audit log's actor from the request's authenticated identity (an API key's user, or the user of
/// the page's session), else null: the store's configured default. Nothing the caller merely claims (such
/// as a header) is taken, so the audit log cannot be told a false name.
/// </summary>
internal sealed class HttpActorProvider(IHttpContextAccessor http) : IDocStoreActorProvider
{
    public string? GetCurrentActor() =>
        http.HttpContext?.User.Identity is { IsAuthenticated: true, Name: { Length: > 0 } name } ? name : null;
}
