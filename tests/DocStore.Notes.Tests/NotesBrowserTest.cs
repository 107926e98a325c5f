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
        Assert.True(File.Exists(Chromium) && File.Exists(ChromeDriver), $"The browser test needs {Chromium} and {ChromeDriver}: apt-get install chromium chromium-driver (scripts/test.sh does it).");
        await using var app = new NotesAppFactory();
        app.UseKestrel(0);
        app.StartServer();
        var baseAddress = app.ClientOptions.BaseAddress;
        using var http = new HttpClient { BaseAddress = baseAddress };
        var ct = TestContext.Current.CancellationToken;
        await http.PostAsJsonAsync("/api/documents", new { title = "Tomato soup", type = "recipe", content = "Simmer tomatoes with basil.\nBlend.", tags = new[] { "soup" } }, ct);
        await http.PostAsJsonAsync("/api/documents", new { title = "Bread", type = "recipe", content = "Flour, water, salt." }, ct);

        using var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(ChromeDriver)!, Path.GetFileName(ChromeDriver));
        service.HideCommandPromptWindow = true;
        var options = new ChromeOptions { BinaryLocation = Chromium };
        options.AddArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1280,900");
        using var driver = new ChromeDriver(service, options, TimeSpan.FromSeconds(60));
        var wait = new WebDriverWait(driver, TimeSpan.FromSeconds(20));

        // The list is re-rendered whenever an answer arrives; an element found just before that goes stale.
        wait.IgnoreExceptionTypes(typeof(StaleElementReferenceException));
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
