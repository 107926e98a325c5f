using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace DocStore.Notes.Security;

/// <summary>
/// Signs a request in from an API key (<c>Authorization: Bearer KEY</c> or <c>X-Api-Key: KEY</c>) configured in
/// <see cref="NotesOptions.ApiKeys"/>; the identity's name is the key's user. Keys are compared in constant time.
/// </summary>
internal sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IOptions<NotesOptions> notes)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    /// <summary>The scheme's name.</summary>
    public const string SchemeName = "ApiKey";

    /// <summary>Whether the request carries a key (then this scheme, not the cookie, decides).</summary>
    public static bool HasKey(HttpRequest request) =>
        request.Headers.ContainsKey("X-Api-Key") || request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase);

    /// <summary>The user whose key this is, or null.</summary>
    public static string? UserOf(string key, NotesOptions options)
    {
        var given = Encoding.UTF8.GetBytes(key);
        string? user = null;
        foreach (var (name, configured) in options.ApiKeys)
        {
            // Every key is compared, each in constant time, so the time taken says nothing about which matched.
            if (CryptographicOperations.FixedTimeEquals(given, Encoding.UTF8.GetBytes(configured)) && configured.Length > 0)
            {
                user = name;
            }
        }

        return user;
    }

    /// <summary>The principal of a signed-in user.</summary>
    public static ClaimsPrincipal Principal(string user, string scheme) =>
        new(new ClaimsIdentity([new Claim(ClaimTypes.Name, user)], scheme));

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var key = Request.Headers["X-Api-Key"].ToString();
        if (key.Length == 0 && Request.Headers.Authorization.ToString() is { } authorization && authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            key = authorization["Bearer ".Length..].Trim();
        }

        if (key.Length == 0)
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        return Task.FromResult(UserOf(key, notes.Value) is { } user
            ? AuthenticateResult.Success(new AuthenticationTicket(Principal(user, SchemeName), SchemeName))
            : AuthenticateResult.Fail("The API key is not valid."));
    }
}
