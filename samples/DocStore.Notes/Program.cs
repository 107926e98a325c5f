using System.Text.Json.Serialization;
using DocStore.Hosting;
using DocStore.Notes;
using DocStore.Notes.Api;
using DocStore.Notes.Rendering;
using DocStore.Notes.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;

var builder = WebApplication.CreateBuilder(args);

builder.Services.AddDocStore(builder.Configuration);
builder.Services.Configure<NotesOptions>(builder.Configuration.GetSection(NotesOptions.Section));
builder.Services.AddHttpContextAccessor();
builder.Services.AddSingleton<IDocStoreActorProvider, HttpActorProvider>();
builder.Services.AddHealthChecks().AddDocStore();
builder.Services.AddProblemDetails();
builder.Services.AddExceptionHandler<StoreExceptionHandler>();
builder.Services.AddSingleton<MarkdownRenderer>();
builder.Services.AddSingleton<ImportRoots>();
builder.Services.ConfigureHttpJsonOptions(json => json.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));

// Bad JSON, a wrong type or an unknown enum value reach StoreExceptionHandler, which names the field.
builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);

// Sign-in (NotesOptions.ApiKeys): an API key for scripts, a cookie for the page; a request with a key is judged by the key.
builder.Services.AddAuthentication("Notes")
    .AddPolicyScheme("Notes", "API key or session cookie", o => o.ForwardDefaultSelector = context =>
        ApiKeyAuthenticationHandler.HasKey(context.Request) ? ApiKeyAuthenticationHandler.SchemeName : CookieAuthenticationDefaults.AuthenticationScheme)
    .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null)
    .AddCookie(o =>
    {
        o.Cookie.Name = "notes.session";
        o.Cookie.HttpOnly = true;
        o.Cookie.SameSite = SameSiteMode.Strict;
        o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        o.SlidingExpiration = true;

        // An API answers 401/403, never a redirect to a login page.
        o.Events.OnRedirectToLogin = context => Status(context.Response, StatusCodes.Status401Unauthorized);
        o.Events.OnRedirectToAccessDenied = context => Status(context.Response, StatusCodes.Status403Forbidden);
    });
builder.Services.AddAuthorization();
builder.Services.AddOptions<AuthorizationOptions>().Configure<IOptions<NotesOptions>>((o, notes) =>
{
    if (notes.Value.SignInRequired)
    {
        o.FallbackPolicy = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build();
    }
});

var app = builder.Build();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseMiddleware<SecurityHeaders>();
app.UseMiddleware<CrossSiteRequestGuard>();

// The page itself holds no data: it is served to anyone, and asks for a key when the API says 401.
app.UseDefaultFiles();
app.UseStaticFiles();
app.UseAuthentication();
app.UseAuthorization();
app.MapHealthChecks("/health").AllowAnonymous();
app.MapSessionEndpoints();
app.MapDocumentEndpoints();
app.MapHistoryEndpoints();
app.MapTransferEndpoints();
app.MapAdminEndpoints();
app.Run();

static Task Status(HttpResponse response, int status)
{
    response.StatusCode = status;
    return Task.CompletedTask;
}

/// <summary>The app's entry point (public so that in-process tests can host it).</summary>
public partial class Program;
