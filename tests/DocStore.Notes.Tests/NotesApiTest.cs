using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace DocStore.Notes.Tests;

/// <summary>Every endpoint of the Notes app, in-process over HTTP, on a real database file.</summary>
public sealed class NotesApiTest : NotesAppTest
{

    [Fact]
    public async Task Create_then_get_returns_the_document_and_its_location()
    {
        var response = await Http.PostAsJsonAsync("/api/documents", new { title = "Groceries", type = "note", content = "milk and bread", tags = new[] { "home" } }, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = await Json(response);
        var id = created.GetProperty("id").GetInt64();
        Assert.Equal($"/api/documents/{id}", response.Headers.Location?.ToString());

        var fetched = await Json(await Http.GetAsync($"/api/documents/{id}", TestContext.Current.CancellationToken));
        Assert.Equal("Groceries", fetched.GetProperty("title").GetString());
        Assert.Equal("milk and bread", fetched.GetProperty("content").GetString());
        Assert.Equal(1, fetched.GetProperty("version").GetInt32());
        Assert.Equal("Active", fetched.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Invalid_document_is_400_with_the_errors_per_field_and_nothing_stored()
    {
        var response = await Http.PostAsJsonAsync("/api/documents", new { title = "", type = "Not A Slug", content = "x" }, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await Json(response);
        var errors = problem.GetProperty("errors");
        Assert.True(errors.TryGetProperty("Title", out _), errors.ToString());
        Assert.True(errors.TryGetProperty("Type", out _), errors.ToString());
        var list = await Json(await Http.GetAsync("/api/documents", TestContext.Current.CancellationToken));
        Assert.Equal(0, list.GetProperty("totalCount").GetInt64());
    }

    [Fact]
    public async Task Malformed_json_is_a_400_problem_without_a_stack_trace()
    {
        using var body = new StringContent("{\"title\": \"a\", ", Encoding.UTF8, "application/json");
        var response = await Http.PostAsync("/api/documents", body, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Contains("\"status\":400", text, StringComparison.Ordinal);
        Assert.DoesNotContain(" at ", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_documents_and_versions_are_404_problems()
    {
        foreach (var url in new[] { "/api/documents/999", "/api/documents/999/html", "/api/documents/999/versions", "/api/documents/999/versions/1", "/api/documents/999/diff?from=1&to=2" })
        {
            var response = await Http.GetAsync(url, TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Equal(404, (await Json(response)).GetProperty("status").GetInt32());
        }

        Assert.Equal(HttpStatusCode.NotFound, (await Http.DeleteAsync("/api/documents/999", TestContext.Current.CancellationToken)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Http.PostAsync("/api/documents/999/restore", null, TestContext.Current.CancellationToken)).StatusCode);
    }

    [Fact]
    public async Task Update_with_a_stale_version_is_409_naming_the_current_version()
    {
        var id = await Create("Plan", "first");
        var updated = await Http.PutAsJsonAsync($"/api/documents/{id}", new { content = "second", expectedVersion = 1 }, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        Assert.Equal(2, (await Json(updated)).GetProperty("version").GetInt32());

        var stale = await Http.PutAsJsonAsync($"/api/documents/{id}", new { content = "lost?", expectedVersion = 1 }, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        var problem = await Json(stale);
        Assert.Equal(2, problem.GetProperty("currentVersion").GetInt32());
        Assert.Equal(1, problem.GetProperty("expectedVersion").GetInt32());
        var current = await Json(await Http.GetAsync($"/api/documents/{id}", TestContext.Current.CancellationToken));
        Assert.Equal("second", current.GetProperty("content").GetString());
    }

    [Fact]
    public async Task Delete_restore_and_hard_delete()
    {
        var id = await Create("Temporary", "soon gone");
        Assert.Equal(HttpStatusCode.NoContent, (await Http.DeleteAsync($"/api/documents/{id}", TestContext.Current.CancellationToken)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Http.GetAsync($"/api/documents/{id}", TestContext.Current.CancellationToken)).StatusCode);

        var restored = await Http.PostAsync($"/api/documents/{id}/restore", null, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, restored.StatusCode);
        Assert.Equal("Active", (await Json(restored)).GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.OK, (await Http.GetAsync($"/api/documents/{id}", TestContext.Current.CancellationToken)).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await Http.DeleteAsync($"/api/documents/{id}?mode=Hard", TestContext.Current.CancellationToken)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Http.GetAsync($"/api/documents/{id}/versions", TestContext.Current.CancellationToken)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await Http.DeleteAsync($"/api/documents/{id}?mode=Sideways", TestContext.Current.CancellationToken)).StatusCode);
    }

    [Fact]
    public async Task List_filters_by_type_and_tag_and_pages()
    {
        for (var i = 0; i < 5; i++)
        {
            await Create($"Recipe {i}", "cook", "recipe", i % 2 == 0 ? "veg" : "meat");
        }

        await Create("Other", "x", "note");
        var recipes = await Json(await Http.GetAsync("/api/documents?type=recipe&pageSize=2&page=2", TestContext.Current.CancellationToken));
        Assert.Equal(5, recipes.GetProperty("totalCount").GetInt64());
        Assert.Equal(2, recipes.GetProperty("items").GetArrayLength());
        var veg = await Json(await Http.GetAsync("/api/documents?tag=veg", TestContext.Current.CancellationToken));
        Assert.Equal(3, veg.GetProperty("totalCount").GetInt64());
        Assert.Equal(HttpStatusCode.BadRequest, (await Http.GetAsync("/api/documents?pageSize=100000", TestContext.Current.CancellationToken)).StatusCode);
    }

    [Fact]
    public async Task Search_highlights_hits_and_encodes_the_document_markup()
    {
        await Create("Soup", "A <script>alert(1)</script> soup of tomato and basil.");
        await Create("Bread", "flour water salt");
        var result = await Json(await Http.GetAsync("/api/search?q=tomato", TestContext.Current.CancellationToken));
        Assert.Equal(1, result.GetProperty("totalCount").GetInt64());
        var snippet = result.GetProperty("items")[0].GetProperty("snippet").GetString()!;
        Assert.Contains("<mark>tomato</mark>", snippet, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;", snippet, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", snippet, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Search_without_text_is_400_and_an_unparsable_advanced_query_is_422()
    {
        await Create("Anything", "some words");
        Assert.Equal(HttpStatusCode.BadRequest, (await Http.GetAsync("/api/search?q=", TestContext.Current.CancellationToken)).StatusCode);
        var bad = await Http.GetAsync("/api/search?mode=Advanced&q=" + Uri.EscapeDataString("words AND (OR"), TestContext.Current.CancellationToken);
        Assert.Equal((HttpStatusCode)422, bad.StatusCode);
        Assert.Equal("application/problem+json", bad.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Versions_diff_and_audit_log_name_the_actor()
    {
        // The actor is the signed-in user (an API key's), so this test's app has sign-in on.
        await using var app = new NotesAppFactory(new Dictionary<string, string?> { ["Notes:ApiKeys:alice"] = "alice-key-0123456789" });
        using var http = app.CreateClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "alice-key-0123456789");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/documents") { Content = JsonContent.Create(new { title = "Poem", type = "note", content = "line one\nline two\nline three" }) };
        var id = (await Json(await http.SendAsync(request, TestContext.Current.CancellationToken))).GetProperty("id").GetInt64();
        await http.PutAsJsonAsync($"/api/documents/{id}", new { content = "line one\nline 2\nline three\nline four", expectedVersion = 1 }, TestContext.Current.CancellationToken);

        var versions = await Json(await http.GetAsync($"/api/documents/{id}/versions", TestContext.Current.CancellationToken));
        Assert.Equal(2, versions.GetArrayLength());
        Assert.Equal("alice", versions[0].GetProperty("actor").GetString());
        var first = await Json(await http.GetAsync($"/api/documents/{id}/versions/1", TestContext.Current.CancellationToken));
        Assert.Equal("line one\nline two\nline three", first.GetProperty("content").GetString());

        var diff = await Json(await http.GetAsync($"/api/documents/{id}/diff?from=1&to=2", TestContext.Current.CancellationToken));
        var lines = diff.GetProperty("lines").EnumerateArray().Select(l => (l.GetProperty("kind").GetString(), l.GetProperty("text").GetString())).ToList();
        Assert.Contains(("removed", "line two"), lines);
        Assert.Contains(("added", "line 2"), lines);
        Assert.Contains(("added", "line four"), lines);
        Assert.Contains(("same", "line one"), lines);

        var audit = await Json(await http.GetAsync($"/api/audit?documentId={id}", TestContext.Current.CancellationToken));
        var entries = audit.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(2, entries.Count);
        Assert.All(entries, e => Assert.Equal("alice", e.GetProperty("actor").GetString()));
    }

    [Fact]
    public async Task Rendered_markdown_is_sanitized()
    {
        var id = await Create("Doc", "# Heading\n\n<script>alert(1)</script>\n\n<img src=x onerror=\"alert(2)\">\n\n**bold**");
        var html = (await Json(await Http.GetAsync($"/api/documents/{id}/html", TestContext.Current.CancellationToken))).GetProperty("html").GetString()!;
        Assert.Contains("<h1", html, StringComparison.Ordinal);
        Assert.Contains("<strong>bold</strong>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("onerror", html, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Upload_import_skips_bad_lines_and_is_idempotent_and_export_round_trips()
    {
        var lines = string.Join('\n',
            "{\"title\":\"One\",\"type\":\"note\",\"content\":\"first\",\"tags\":[\"a\"],\"metadata\":{\"k\":1}}",
            "{not json",
            "{\"title\":\"Two\",\"type\":\"note\",\"content\":\"second\",\"sourcePath\":\"x/two.md\"}",
            "{\"title\":\"\",\"type\":\"note\",\"content\":\"rejected: empty title\"}");
        var first = await Import(("notes.jsonl", lines), ("readme.md", "# Read me\n\nhello"));
        Assert.Equal(3, first.GetProperty("created").GetInt64());
        Assert.Equal(1, first.GetProperty("rejected").GetInt64());
        Assert.Contains("notes.jsonl line 2", first.GetProperty("badLines")[0].GetString(), StringComparison.Ordinal);

        var again = await Import(("notes.jsonl", lines), ("readme.md", "# Read me\n\nhello"));
        Assert.Equal(0, again.GetProperty("created").GetInt64());
        Assert.Equal(3, again.GetProperty("unchanged").GetInt64());

        var export = await Http.GetAsync("/api/export", TestContext.Current.CancellationToken);
        Assert.Equal("application/x-ndjson", export.Content.Headers.ContentType?.MediaType);
        var exported = await export.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Equal(3, exported.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);

        await using var other = new NotesAppFactory();
        using var otherHttp = other.CreateClient();
        using var form = new MultipartFormDataContent { { new StringContent(exported), "file", "export.jsonl" } };
        var imported = await Json(await otherHttp.PostAsync("/api/import", form, TestContext.Current.CancellationToken));
        Assert.Equal(3, imported.GetProperty("created").GetInt64());
        var reexported = await otherHttp.GetStringAsync("/api/export", TestContext.Current.CancellationToken);
        Assert.Equal(Comparable(exported), Comparable(reexported));
    }

    [Fact]
    public async Task Import_without_files_is_400_and_folder_import_reads_the_folder()
    {
        using var empty = new MultipartFormDataContent { { new StringContent("x"), "field" } };
        Assert.Equal(HttpStatusCode.BadRequest, (await Http.PostAsync("/api/import", empty, TestContext.Current.CancellationToken)).StatusCode);

        // Folder import reads only below configured roots (none by default: see NotesSecurityTest).
        using var roots = new DocStore.Tests.Infrastructure.TempDirectory();
        await using var app = new NotesAppFactory(new Dictionary<string, string?> { ["Notes:ImportRoots:0"] = roots.Path });
        using var http = app.CreateClient();
        Assert.Equal(HttpStatusCode.BadRequest, (await http.PostAsJsonAsync("/api/import/folder", new { path = Path.Combine(roots.Path, "no-such-folder") }, TestContext.Current.CancellationToken)).StatusCode);
        var folder = Path.Combine(roots.Path, "docs");
        Directory.CreateDirectory(folder);
        await File.WriteAllTextAsync(Path.Combine(folder, "a.md"), "# Alpha\n\ntext a", TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(Path.Combine(folder, "b.txt"), "Beta\ntext b", TestContext.Current.CancellationToken);
        var result = await Json(await http.PostAsJsonAsync("/api/import/folder", new { path = folder, type = "manual" }, TestContext.Current.CancellationToken));
        Assert.Equal(2, result.GetProperty("created").GetInt64());
        var list = await Json(await http.GetAsync("/api/documents?type=manual", TestContext.Current.CancellationToken));
        Assert.Equal(2, list.GetProperty("totalCount").GetInt64());
    }

    [Fact]
    public async Task Stats_fast_path_switch_and_health()
    {
        var id = await Create("Cached", "text");
        Assert.True((await Json(await Http.GetAsync("/api/admin/fast-path", TestContext.Current.CancellationToken))).GetProperty("enabled").GetBoolean());
        var off = await Json(await Http.PutAsJsonAsync("/api/admin/fast-path", new { enabled = false }, TestContext.Current.CancellationToken));
        Assert.False(off.GetProperty("enabled").GetBoolean());
        Assert.Equal("Cached", (await Json(await Http.GetAsync($"/api/documents/{id}", TestContext.Current.CancellationToken))).GetProperty("title").GetString());
        var stats = await Json(await Http.GetAsync("/api/stats", TestContext.Current.CancellationToken));
        Assert.Equal(1, stats.GetProperty("store").GetProperty("documentCount").GetInt64());
        Assert.True(stats.GetProperty("fastPath").GetProperty("fallbackReads").GetInt64() >= 1);
        await Http.PutAsJsonAsync("/api/admin/fast-path", new { enabled = true }, TestContext.Current.CancellationToken);

        var health = await Http.GetAsync("/health", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal("Healthy", await health.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task The_page_is_served_with_its_script()
    {
        var page = await Http.GetStringAsync("/", TestContext.Current.CancellationToken);
        Assert.Contains("<input id=\"search\"", page, StringComparison.Ordinal);
        Assert.Contains("fetch(", await Http.GetStringAsync("/app.js", TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    private static string Comparable(string jsonLines) => string.Join('\n', jsonLines.Split('\n', StringSplitOptions.RemoveEmptyEntries)
        .Select(line =>
        {
            using var document = JsonDocument.Parse(line);
            var r = document.RootElement;
            return string.Join('|', r.GetProperty("title").GetString(), r.GetProperty("type").GetString(), r.GetProperty("content").GetString(), r.GetProperty("format").GetString(),
                r.TryGetProperty("sourcePath", out var p) ? p.GetString() : null, r.GetProperty("tags").ToString(), r.GetProperty("metadata").ToString(), r.GetProperty("status").GetString());
        })
        .Order(StringComparer.Ordinal));

    private static async Task<JsonElement> Json(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.False(string.IsNullOrEmpty(text), $"empty body with status {response.StatusCode}");
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    private async Task<long> Create(string title, string content, string type = "note", params string[] tags)
    {
        var response = await Http.PostAsJsonAsync("/api/documents", new { title, type, content, tags }, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await Json(response)).GetProperty("id").GetInt64();
    }

    [Fact]
    public async Task Two_uploads_of_the_same_name_with_different_text_are_two_notes()
    {
        var first = await Import(("notes.txt", "Shopping\nmilk"));
        var second = await Import(("notes.txt", "Shopping\nbread"));
        var same = await Import(("notes.txt", "Shopping\nbread"));
        Assert.Equal((1L, 1L, 0L), (first.GetProperty("created").GetInt64(), second.GetProperty("created").GetInt64(), same.GetProperty("created").GetInt64()));
        Assert.Equal(1, same.GetProperty("unchanged").GetInt64());
        var list = await Json(await Http.GetAsync("/api/documents?type=note", TestContext.Current.CancellationToken));
        Assert.Equal(2, list.GetProperty("totalCount").GetInt64());
    }

    private async Task<JsonElement> Import(params (string Name, string Text)[] files)
    {
        using var form = new MultipartFormDataContent();
        foreach (var (name, text) in files)
        {
            var part = new StringContent(text);
            part.Headers.ContentType = new MediaTypeHeaderValue("text/plain");
            form.Add(part, "file", name);
        }

        var response = await Http.PostAsync("/api/import", form, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await Json(response);
    }
}
