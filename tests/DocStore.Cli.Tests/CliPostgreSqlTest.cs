using System.Text.Json;
using DocStore.Tests.Infrastructure;

namespace DocStore.Cli.Tests;

/// <summary>The tool on a PostgreSQL store (--connection), and copying stores between engines.</summary>
public sealed class CliPostgreSqlTest : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Import_stats_search_and_verify_work_on_a_postgresql_store_and_file_only_commands_say_so()
    {
        await using var db = new PostgresDatabase();
        var docs = Directory.CreateDirectory(_temp.File("docs")).FullName;
        await File.WriteAllTextAsync(Path.Combine(docs, "a.md"), "# Alpha\n\ntext about storage engines", TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(Path.Combine(docs, "b.txt"), "Beta\nplain text", TestContext.Current.CancellationToken);

        var import = await Cli.RunAsync(_temp.Path, "import", docs, "--connection", db.ConnectionString);
        Assert.Equal(ExitCodes.Ok, import.Exit);
        Assert.Contains("Created 2", import.Out, StringComparison.Ordinal);
        Assert.Equal(2, db.Count("documents"));

        var stats = JsonDocument.Parse((await Cli.RunAsync(_temp.Path, "stats", "--json", "--connection", db.ConnectionString)).Out).RootElement;
        Assert.Equal(2, stats.GetProperty("documentCount").GetInt64());
        Assert.Contains("Alpha", (await Cli.RunAsync(_temp.Path, "search", "engines", "--connection", db.ConnectionString)).Out, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Ok, (await Cli.RunAsync(_temp.Path, "verify", "--connection", db.ConnectionString)).Exit);

        var backup = await Cli.RunAsync(_temp.Path, "backup", _temp.File("b.db"), "--connection", db.ConnectionString);
        Assert.Equal(ExitCodes.Usage, backup.Exit);
        Assert.Contains("server's own tools", backup.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(_temp.File("b.db")));
    }

    [Fact]
    public async Task Copy_from_a_file_to_postgresql_and_back_resumes_a_finished_copy_and_refuses_a_used_destination()
    {
        await using var db = new PostgresDatabase();
        var lines = _temp.File("docs.jsonl");
        await File.WriteAllLinesAsync(lines, Enumerable.Range(0, 30).Select(i => $"{{\"title\":\"Doc {i}\",\"type\":\"note\",\"content\":\"body {i} wombat\"}}"), TestContext.Current.CancellationToken);
        Assert.Equal(ExitCodes.Ok, (await Cli.RunAsync(_temp.Path, "import", lines, "--store", _temp.File("notes.db"))).Exit);

        var there = await Cli.RunAsync(_temp.Path, "copy", "--from", _temp.File("notes.db"), "--to", db.ConnectionString);
        Assert.True(there.Exit == ExitCodes.Ok, there.Error);
        Assert.Contains("Copied 30 documents", there.Out, StringComparison.Ordinal);
        Assert.Equal(30, db.Count("documents"));

        // Again: everything is there and matches, so it resumes with nothing to add.
        var again = await Cli.RunAsync(_temp.Path, "copy", "--from", _temp.File("notes.db"), "--to", db.ConnectionString);
        Assert.True(again.Exit == ExitCodes.Ok, again.Error);
        Assert.Contains("Resumed an interrupted copy: 30 documents", again.Out, StringComparison.Ordinal);

        var back = _temp.File("back.db");
        Assert.Equal(ExitCodes.Ok, (await Cli.RunAsync(_temp.Path, "copy", "--from", db.ConnectionString, "--to", back)).Exit);
        var stats = JsonDocument.Parse((await Cli.RunAsync(_temp.Path, "stats", "--json", "--store", back)).Out).RootElement;
        Assert.Equal(30, stats.GetProperty("documentCount").GetInt64());
        Assert.Contains("Doc 7", (await Cli.RunAsync(_temp.Path, "search", "wombat", "--store", back)).Out, StringComparison.Ordinal);
        var verifySource = JsonDocument.Parse((await Cli.RunAsync(_temp.Path, "verify", "--json", "--connection", db.ConnectionString)).Out).RootElement;
        var verifyCopy = JsonDocument.Parse((await Cli.RunAsync(_temp.Path, "verify", "--json", "--store", back)).Out).RootElement;
        Assert.Equal(Counts(verifySource), Counts(verifyCopy));

        // The destination in use since (a document of its own): not an interrupted copy, refused unchanged.
        await File.WriteAllTextAsync(_temp.File("own.md"), "# Own\n\nwritten on the server", TestContext.Current.CancellationToken);
        Assert.Equal(ExitCodes.Ok, (await Cli.RunAsync(_temp.Path, "import", _temp.File("own.md"), "--connection", db.ConnectionString)).Exit);
        var used = await Cli.RunAsync(_temp.Path, "copy", "--from", _temp.File("notes.db"), "--to", db.ConnectionString);
        Assert.Equal(ExitCodes.Failed, used.Exit);
        Assert.Contains("not an interrupted copy", used.Error, StringComparison.Ordinal);
        Assert.Equal(31, db.Count("documents"));

        Assert.Equal(ExitCodes.Usage, (await Cli.RunAsync(_temp.Path, "copy")).Exit);
        Assert.Equal(ExitCodes.Usage, (await Cli.RunAsync(_temp.Path, "copy", "--from", back, "--to", back)).Exit);
    }

    [Fact]
    public async Task A_copy_killed_mid_way_resumes_where_it_stopped_and_the_two_stores_verify_alike()
    {
        await using var db = new PostgresDatabase();
        var lines = _temp.File("docs.jsonl");
        var filler = string.Join(' ', Enumerable.Range(0, 150).Select(i => $"word{i % 37}"));
        await File.WriteAllLinesAsync(lines, Enumerable.Range(0, 20_000).Select(i => $"{{\"title\":\"Doc {i}\",\"type\":\"note\",\"content\":\"body {i} {filler}\"}}"), TestContext.Current.CancellationToken);
        Assert.Equal(ExitCodes.Ok, (await Cli.RunAsync(_temp.Path, "import", lines, "--store", _temp.File("notes.db"))).Exit);

        // Killed (SIGKILL) once the destination holds its first batches: its open transaction dies with it.
        var start = new System.Diagnostics.ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "DocStore.Cli"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = _temp.Path,
            ArgumentList = { "copy", "--from", _temp.File("notes.db"), "--to", db.ConnectionString },
        };
        using (var copying = System.Diagnostics.Process.Start(start)!)
        {
            var output = copying.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
            var error = copying.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
            while (!copying.HasExited && (!db.Exists("documents") || db.Count("documents") < 1_000))
            {
                await Task.Delay(5, TestContext.Current.CancellationToken);
            }

            if (copying.HasExited)
            {
                Assert.Fail($"The copy ended before it could be killed: {await output} {await error}");
            }

            copying.Kill();
            await copying.WaitForExitAsync(TestContext.Current.CancellationToken);
        }

        var part = db.Count("documents");
        Assert.InRange(part, 1_000, 19_999);
        Assert.Equal(0, part % 500);

        var resumed = await Cli.RunAsync(_temp.Path, "copy", "--from", _temp.File("notes.db"), "--to", db.ConnectionString);
        Assert.True(resumed.Exit == ExitCodes.Ok, resumed.Error);
        Assert.Contains($"Resumed an interrupted copy: {part:N0} documents", resumed.Out, StringComparison.Ordinal);
        Assert.Equal(20_000, db.Count("documents"));
        var verifySource = JsonDocument.Parse((await Cli.RunAsync(_temp.Path, "verify", "--json", "--store", _temp.File("notes.db"))).Out).RootElement;
        var verifyCopy = JsonDocument.Parse((await Cli.RunAsync(_temp.Path, "verify", "--json", "--connection", db.ConnectionString)).Out).RootElement;
        Assert.Equal(Counts(verifySource), Counts(verifyCopy));
    }

    /// <summary>What verify counted (the checks themselves are named per engine), and that it found the store healthy.</summary>
    private static string Counts(JsonElement report)
    {
        Assert.True(report.GetProperty("isHealthy").GetBoolean(), report.ToString());
        return string.Join(' ', new[] { "documents", "versions", "tagRows", "auditEntries", "indexedDocuments" }.Select(name => $"{name}={report.GetProperty(name).GetInt64()}"));
    }
}
