using System.Net.Http.Json;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using OpenQA.Selenium.Support.UI;

namespace DocStore.Notes.Tests;

/// <summary>
/// The Notes page in a real browser: Debian's headless Chromium driven by chromedriver (scripts/test.sh
/// installs both), against the app on Kestrel on a loopback port. Types a query and sees the highlighted
/// hit, edits a document and sees its new version and the diff, and sees a conflict when someone saved
/// first. Leaves a screenshot in TestResults/.
/// </summary>
public sealed class NotesBrowserTest
{
    private const string Chromium = "/usr/bin/chromium";
    private const string ChromeDriver = "/usr/bin/chromedriver";

    [Fact]
    public async Task Search_as_you_type_edit_history_diff_and_conflict()
    {
        await using var app = StartApp();
        var baseAddress = app.ClientOptions.BaseAddress;
        using var http = new HttpClient { BaseAddress = baseAddress };
        var ct = TestContext.Current.CancellationToken;
        await http.PostAsJsonAsync("/api/documents", new { title = "Tomato soup", type = "recipe", content = "Simmer tomatoes with basil.\nBlend.", tags = new[] { "soup" } }, ct);
        await http.PostAsJsonAsync("/api/documents", new { title = "Bread", type = "recipe", content = "Flour, water, salt." }, ct);

        using var service = StartDriverService();
        using var driver = StartBrowser(service, out var wait);
        driver.Navigate().GoToUrl(baseAddress);

        // Search as you type: once the answer for the whole word is shown, the one hit has it highlighted.
        driver.FindElement(By.Id("search")).SendKeys("basil");
        wait.Until(d => d.FindElement(By.Id("summary")).Text.Contains("“basil”", StringComparison.Ordinal));
        var hits = driver.FindElements(By.CssSelector("#hits li"));
        var hit = Assert.Single(hits);
        Assert.Contains("Tomato soup", hit.Text, StringComparison.Ordinal);
        Assert.Equal("basil", hit.FindElement(By.TagName("mark")).Text);

        // Open, edit, save: the page shows version 2.
        hit.Click();
        wait.Until(d => d.FindElement(By.Id("title")).Text == "Tomato soup");
        driver.FindElement(By.Id("edit")).Click();
        var content = driver.FindElement(By.Id("edit-content"));
        content.Clear();
        content.SendKeys("Simmer tomatoes with basil.\nAdd cream.\nBlend.");
        driver.FindElement(By.Id("save")).Click();
        wait.Until(d => d.FindElement(By.Id("meta")).Text.Contains("version 2", StringComparison.Ordinal));
        Assert.Contains("Add cream.", driver.FindElement(By.Id("body")).Text, StringComparison.Ordinal);

        // History and the diff between the two versions.
        driver.FindElement(By.Id("history")).Click();
        wait.Until(d => d.FindElements(By.CssSelector("#version-list .diff-button")).Count > 0);
        driver.FindElement(By.CssSelector("#version-list .diff-button")).Click();
        var added = wait.Until(d => d.FindElements(By.CssSelector("#diff .added")).FirstOrDefault());
        Assert.Equal("+ Add cream.", added!.Text);

        // Someone else saves while this page edits: the save is refused and the conflict shown.
        driver.FindElement(By.Id("edit")).Click();
        var id = (await http.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/search?q=tomato", ct)).GetProperty("items")[0].GetProperty("id").GetInt64();
        (await http.PutAsJsonAsync($"/api/documents/{id}", new { content = "Someone else's soup.", expectedVersion = 2 }, ct)).EnsureSuccessStatusCode();
        driver.FindElement(By.Id("edit-content")).SendKeys("\nMy change.");
        driver.FindElement(By.Id("save")).Click();
        var conflict = wait.Until(d => d.FindElement(By.Id("conflict")).Displayed ? d.FindElement(By.Id("conflict")) : null);
        Assert.Contains("Someone saved version 3 first", conflict!.Text, StringComparison.Ordinal);

        driver.FindElement(By.Id("search")).Clear();
        driver.FindElement(By.Id("search")).SendKeys("tomato");
        wait.Until(d => d.FindElement(By.Id("summary")).Text.Contains("“tomato”", StringComparison.Ordinal));
        Assert.Contains("v3", driver.FindElement(By.CssSelector("#hits li")).Text, StringComparison.Ordinal);
        driver.GetScreenshot().SaveAsFile(ScreenshotPath());
    }

    [Fact]
    public async Task Delete_asks_first_deleted_notes_can_be_restored_deep_markdown_shows_a_notice_and_a_cross_site_form_is_refused()
    {
        await using var app = StartApp();
        var baseAddress = app.ClientOptions.BaseAddress;
        using var http = new HttpClient { BaseAddress = baseAddress };
        var ct = TestContext.Current.CancellationToken;
        await http.PostAsJsonAsync("/api/documents", new { title = "Keep me", type = "note", content = "precious words" }, ct);
        await http.PostAsJsonAsync("/api/documents", new { title = "Deep quote", type = "note", content = new string('>', 50_000) + " end", format = "markdown" }, ct);

        using var service = StartDriverService();
        using var driver = StartBrowser(service, out var wait);
        driver.Navigate().GoToUrl(baseAddress);

        // Deep Markdown: the note opens, as text, with a notice.
        driver.FindElement(By.Id("search")).SendKeys("deep");
        wait.Until(d => d.FindElement(By.Id("summary")).Text.Contains("“deep”", StringComparison.Ordinal));
        driver.FindElement(By.CssSelector("#hits li")).Click();
        wait.Until(d => d.FindElement(By.Id("title")).Text == "Deep quote");
        var notice = wait.Until(d => d.FindElement(By.Id("notice")).Displayed ? d.FindElement(By.Id("notice")) : null);
        Assert.Contains("shown as plain text", notice!.Text, StringComparison.Ordinal);
        Assert.EndsWith("end", driver.FindElement(By.Id("body")).Text.Trim(), StringComparison.Ordinal);

        // Delete asks first: dismissed, nothing happens; accepted, the note goes to Deleted notes.
        var search = driver.FindElement(By.Id("search"));
        search.Clear();
        search.SendKeys("precious");
        wait.Until(d => d.FindElement(By.Id("summary")).Text.Contains("“precious”", StringComparison.Ordinal));
        driver.FindElement(By.CssSelector("#hits li")).Click();
        wait.Until(d => d.FindElement(By.Id("title")).Text == "Keep me");
        driver.FindElement(By.Id("delete")).Click();
        var confirm = wait.Until(d => d.SwitchTo().Alert());
        Assert.Contains("Keep me", confirm!.Text, StringComparison.Ordinal);
        confirm.Dismiss();
        Assert.Equal(2, (await http.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/documents", ct)).GetProperty("totalCount").GetInt32());
        driver.FindElement(By.Id("delete")).Click();
        wait.Until(d => d.SwitchTo().Alert())!.Accept();
        wait.Until(d => !d.FindElement(By.Id("detail")).Displayed);
        Assert.Equal(1, (await http.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/documents", ct)).GetProperty("totalCount").GetInt32());

        driver.FindElement(By.Id("show-deleted")).Click();
        wait.Until(d => d.FindElement(By.Id("summary")).Text.StartsWith("1 deleted document", StringComparison.Ordinal));
        var deleted = driver.FindElement(By.CssSelector("#hits li"));
        Assert.Contains("Keep me", deleted.Text, StringComparison.Ordinal);
        deleted.FindElement(By.CssSelector("button.restore-deleted")).Click();
        wait.Until(d => d.FindElement(By.Id("summary")).Text.StartsWith("0 deleted documents", StringComparison.Ordinal));
        Assert.Equal(2, (await http.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/documents", ct)).GetProperty("totalCount").GetInt32());

        // A page from another origin posts a multipart form to the app: refused, nothing created.
        var form = $$"""
            <html><body><form id="f" method="post" enctype="multipart/form-data" action="{{new Uri(baseAddress, "/api/import")}}">
            <input type="hidden" name="x" value="y"></form><script>document.getElementById('f').submit()</script></body></html>
            """;
        driver.Navigate().GoToUrl("data:text/html;base64," + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(form)));
        wait.Until(d => d.Url.StartsWith(baseAddress.GetLeftPart(UriPartial.Authority), StringComparison.Ordinal));
        Assert.Contains("Cross-site request refused", driver.PageSource, StringComparison.Ordinal);
        Assert.Equal(2, (await http.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/documents", ct)).GetProperty("totalCount").GetInt32());
    }

    /// <summary>The app on Kestrel on a free loopback port (the browser needs a real socket).</summary>
    private static NotesAppFactory StartApp()
    {
        Assert.True(File.Exists(Chromium) && File.Exists(ChromeDriver), $"The browser test needs {Chromium} and {ChromeDriver}: apt-get install chromium chromium-driver (scripts/test.sh does it).");
        var app = new NotesAppFactory();
        app.UseKestrel(0);
        app.StartServer();
        return app;
    }

    private static ChromeDriverService StartDriverService()
    {
        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(ChromeDriver)!, Path.GetFileName(ChromeDriver));
        service.HideCommandPromptWindow = true;
        return service;
    }

    private static ChromeDriver StartBrowser(ChromeDriverService service, out WebDriverWait wait)
    {
        var options = new ChromeOptions { BinaryLocation = Chromium };
        options.AddArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1280,900");
        var driver = new ChromeDriver(service, options, TimeSpan.FromSeconds(60));
        wait = new WebDriverWait(driver, TimeSpan.FromSeconds(20));

        // The list is re-rendered whenever an answer arrives (an element found just before goes stale); a confirm may not be up yet.
        wait.IgnoreExceptionTypes(typeof(StaleElementReferenceException), typeof(NoAlertPresentException));
        return driver;
    }

    private static string ScreenshotPath()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "DocStore.sln")))
        {
            folder = folder.Parent;
        }

        var results = Path.Combine(folder?.FullName ?? Path.GetTempPath(), "TestResults");
        Directory.CreateDirectory(results);
        return Path.Combine(results, "notes-page.png");
    }
}
