using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace DocStore.Notes.Tests;

/// <summary>Errors a person can act on: each bad request is answered with problem details that name the field and say what is wrong.</summary>
public sealed class NotesErrorsTest : NotesAppTest
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("{\"title\": \"t\", \"type\": \"note\", ", "body", "not valid JSON")]
    [InlineData("{\"title\": 42, \"type\": \"note\", \"content\": \"c\"}", "title", "cannot be read")]
    [InlineData("{\"title\": \"\\ud800\", \"type\": \"note\", \"content\": \"c\"}", "title", "cannot be read")]
    [InlineData("{\"title\": \"t\", \"type\": \"note\", \"content\": \"c\", \"status\": \"Shredded\"}", "status", "Draft, Active, Archived, Deleted")]
    public async Task An_unreadable_body_gets_problem_details_naming_the_field(string body, string field, string says)
    {
        var response = await Http.PostAsync("/api/documents", new StringContent(body, Encoding.UTF8, "application/json"), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var messages = problem.GetProperty("errors").GetProperty(field);
        Assert.Contains(says, messages[0].GetString(), StringComparison.Ordinal);
        Assert.Contains(field, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_search_mode_says_which_modes_exist()
    {
        var response = await Http.GetAsync("/api/search?q=x&mode=fuzzy", Ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var message = problem.GetProperty("errors").GetProperty("mode")[0].GetString();
        Assert.Contains("'fuzzy'", message, StringComparison.Ordinal);
        Assert.Contains(string.Join(", ", Enum.GetNames<SearchMode>()), message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Markdown_nested_too_deeply_is_shown_as_escaped_text_with_a_notice()
    {
        var content = new string('>', 50_000) + " <b>deep</b>";
        var created = await Http.PostAsJsonAsync("/api/documents", new { title = "Deep", type = "note", content, format = "markdown" }, Ct);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetInt64();
        var response = await Http.GetAsync($"/api/documents/{id}/html", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var rendered = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Contains("shown as plain text", rendered.GetProperty("notice").GetString(), StringComparison.Ordinal);
        var html = rendered.GetProperty("html").GetString()!;
        Assert.StartsWith("<pre>", html, StringComparison.Ordinal);
        Assert.Contains("&lt;b&gt;deep&lt;/b&gt;", html, StringComparison.Ordinal);
    }
}
