using DocStore.Notes.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Options;

namespace DocStore.Notes.Api;

/// <summary>
/// Sign-in for the page when <see cref="NotesOptions.ApiKeys"/> is set: <c>POST /api/session</c> with a key
/// gives a session cookie (HttpOnly, SameSite=Strict), <c>GET</c> says who is signed in and whether sign-in is
/// needed, <c>DELETE</c> signs out.
/// </summary>
internal static class SessionEndpoints
{
    public static void MapSessionEndpoints(this IEndpointRouteBuilder app)
    {
        var session = app.MapGroup("/api/session").AllowAnonymous();
        session.MapGet("/", (HttpContext http, IOptions<NotesOptions> options) =>
            Results.Ok(new SessionState(options.Value.SignInRequired, http.User.Identity is { IsAuthenticated: true } ? http.User.Identity.Name : null)));
        session.MapPost("/", async (SignIn body, HttpContext http, IOptions<NotesOptions> options) =>
        {
            if (!options.Value.SignInRequired)
            {
                throw new ArgumentException("Sign-in is not configured on this server (Notes:ApiKeys is empty).");
            }

            if (ApiKeyAuthenticationHandler.UserOf(body.ApiKey ?? string.Empty, options.Value) is not { } user)
            {
                return Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "The API key is not valid.");
            }

            await http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, ApiKeyAuthenticationHandler.Principal(user, CookieAuthenticationDefaults.AuthenticationScheme));
            return Results.Ok(new SessionState(true, user));
        });
        session.MapDelete("/", async (HttpContext http) =>
        {
            await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return Results.NoContent();
        });
    }

    /// <summary>A sign-in request.</summary>
    internal sealed record SignIn(string? ApiKey);

    /// <summary>Whether sign-in is needed, and who is signed in.</summary>
    internal sealed record SessionState(bool SignInRequired, string? User);
}
