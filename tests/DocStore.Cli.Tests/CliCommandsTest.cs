using System.Text.Json;
using DocStore.Tests.Infrastructure;

namespace DocStore.Cli.Tests;

/// <summary>Every command in-process on real store files, including bad input; exit codes as documented.</summary>
public sealed class CliCommandsTest : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Import_reads_folders_and_json_lines_reports_bad_input_and_runs_again_without_duplicates()
    {
        var docs = Directory.CreateDirectory(_temp.File("docs")).FullName;
        await File.WriteAllTextAsync(Path.Combine(docs, "a.md"), "# Alpha\n\ntext about storage", TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(Path.Combine(docs, "b.html"), "<html><title>Beta</title><body><p>html text</p></body></html>", TestContext.Current.CancellationToken);
        Directory.CreateDirectory(Path.Combine(docs, "sub"));
        await File.WriteAllTextAsync(Path.Combine(docs, "sub", "c.txt"), "Gamma\nplain text", TestContext.Current.CancellationToken);
        File.CreateSymbolicLink(Path.Combine(docs, "broken.md"), Path.Combine(docs, "no-such-target.md"));
        var lines = _temp.File("more.jsonl");
        await File.WriteAllTextAsync(lines, "{\"title\":\"Delta\",\"type\":\"note\",\"content\":\"d\"}\n{corrupt\n{\"title\":\"\",\"type\":\"note\",\"content\":\"invalid: empty title\"}\n", TestContext.Current.CancellationToken);

        var first = await Cli.RunAsync(_temp.Path, "import", docs, lines, "--type", "manual");
        Assert.Equal(ExitCodes.Partial, first.Exit);
        Assert.Contains("Created 4, updated 0, unchanged 0, rejected 1, 2 unreadable files or lines", first.Out, StringComparison.Ordinal);
        Assert.Contains("broken.md", first.Error, StringComparison.Ordinal);
        Assert.Contains("more.jsonl:2:", first.Error, StringComparison.Ordinal);
        Assert.Contains("more.jsonl: document 2: rejected: Title:", first.Error, StringComparison.Ordinal);

        var again = await Cli.RunAsync(_temp.Path, "import", docs, lines, "--type", "manual");
        Assert.Contains("Created 0, updated 0, unchanged 4", again.Out, StringComparison.Ordinal);

        var stats = JsonDocument.Parse((await Cli.RunAsync(_temp.Path, "stats", "--json")).Out).RootElement;
        Assert.Equal(4, stats.GetProperty("documentCount").GetInt64());
        Assert.Equal(3, stats.GetProperty("countByType").GetProperty("manual").GetInt64());
    }

    [Fact]
    public async Task Import_of_same_named_files_in_many_folders_stores_each_and_picks_up_edits()
    {
        // The shell's expansion of /usr/share/doc/*/copyright: many files, one name.
        var files = new List<string>();
        for (var i = 0; i < 12; i++)
        {
            var folder = Directory.CreateDirectory(_temp.File($"doc/package{i}")).FullName;
            var file = Path.Combine(folder, "copyright");
            await File.WriteAllTextAsync(file, $"Copyright notice of package {i}", TestContext.Current.CancellationToken);
            files.Add(file);
        }

        var first = await Cli.RunAsync(_temp.Path, ["import", .. files]);
        Assert.Contains("Created 12, updated 0, unchanged 0, rejected 0", first.Out, StringComparison.Ordinal);

        await File.WriteAllTextAsync(files[3], "Copyright notice of package 3, amended", TestContext.Current.CancellationToken);
        var again = await Cli.RunAsync(_temp.Path, ["import", .. files]);
        Assert.Contains("Created 0, updated 1, unchanged 11, rejected 0", again.Out, StringComparison.Ordinal);

        var stats = JsonDocument.Parse((await Cli.RunAsync(_temp.Path, "stats", "--json")).Out).RootElement;
        Assert.Equal(12, stats.GetProperty("documentCount").GetInt64());
    }

    [Fact]
    public async Task Import_names_each_rejected_file_by_its_path()
    {
        var folder = Directory.CreateDirectory(_temp.File("titles")).FullName;
        var bad = Path.Combine(folder, "long.md");
        await File.WriteAllTextAsync(bad, "# title\n" + new string('x', 100), TestContext.Current.CancellationToken);
        var result = await Cli.RunAsync(_temp.Path, "import", folder, "--type", "NOT A SLUG");
        Assert.Equal(ExitCodes.Partial, result.Exit);
        Assert.Contains($"{bad}: rejected: Type:", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_of_only_missing_inputs_and_bad_batch_sizes_fail_clearly()
    {
        var missing = await Cli.RunAsync(_temp.Path, "import", _temp.File("nope"));
        Assert.Equal(ExitCodes.Partial, missing.Exit);
        Assert.Contains("does not exist", missing.Error, StringComparison.Ordinal);
        var batch = await Cli.RunAsync(_temp.Path, "import", _temp.Path, "--batch-size", "0");
        Assert.Equal(ExitCodes.Usage, batch.Exit);
        Assert.Equal(ExitCodes.Usage, (await Cli.RunAsync(_temp.Path, "import", _temp.Path, "--batch-size", "many")).Exit);
    }

    [Fact]
    public async Task Export_then_import_gives_an_equivalent_store_and_writes_versions_and_audit()
    {
        var source = _temp.File("source.db");
        await using (var store = new LocalStorageSystem(new DocStoreOptions { DatabasePath = source }))
        {
            var random = new Random(3);
            for (var i = 0; i < 620; i++)
            {
                await store.CreateAsync(new NewDocument { Title = $"doc {i}", Type = i % 2 == 0 ? "even" : "odd", Content = $"content {random.Next()}", Tags = [$"t{i % 5}"], Metadata = $"{{\"n\":{i}}}" }, TestContext.Current.CancellationToken);
            }

            await store.UpdateAsync(1, new DocumentUpdate { Content = "changed" }, TestContext.Current.CancellationToken);
        }

        var exported = _temp.File("out.jsonl");
        var export = await Cli.RunAsync(_temp.Path, "export", exported, "--store", source, "--versions", _temp.File("v.jsonl"), "--audit", _temp.File("a.jsonl"));
        Assert.Equal(ExitCodes.Ok, export.Exit);
        Assert.Contains("Exported 620 documents, 621 versions, 621 audit rows.", export.Out, StringComparison.Ordinal);
        Assert.Equal(621, File.ReadLines(_temp.File("v.jsonl")).Count());

        var target = _temp.File("target.db");
        Assert.Equal(ExitCodes.Ok, (await Cli.RunAsync(_temp.Path, "import", exported, "--store", target)).Exit);
        var roundTrip = _temp.File("again.jsonl");
        Assert.Equal(ExitCodes.Ok, (await Cli.RunAsync(_temp.Path, "export", roundTrip, "--store", target)).Exit);
        Assert.Equal(Comparable(exported), Comparable(roundTrip));
    }

    [Fact]
    public async Task Backup_verify_and_a_damaged_store()
    {
        await SeedAsync(300);
        var backup = _temp.File("backup.db");
        var done = await Cli.RunAsync(_temp.Path, "backup", backup);
        Assert.Equal(ExitCodes.Ok, done.Exit);
        Assert.Equal(ExitCodes.Failed, (await Cli.RunAsync(_temp.Path, "backup", backup)).Exit);

        var verified = await Cli.RunAsync(_temp.Path, "verify", "--store", backup, "--json");
        Assert.Equal(ExitCodes.Ok, verified.Exit);
        Assert.True(JsonDocument.Parse(verified.Out).RootElement.GetProperty("isHealthy").GetBoolean());

        FileDamage.GarbleLeafPage(backup, "documents");
        var damaged = await Cli.RunAsync(_temp.Path, "verify", "--store", backup);
        Assert.Equal(ExitCodes.Damaged, damaged.Exit);
        Assert.DoesNotContain("   at ", damaged.Error, StringComparison.Ordinal);

        // The advice names the tool's command, not the library's method.
        var stats = await Cli.RunAsync(_temp.Path, "stats", "--store", backup);
        Assert.Equal(ExitCodes.Damaged, stats.Exit);
        Assert.Contains("Run 'docstore verify'", stats.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("VerifyAsync", stats.Error, StringComparison.Ordinal);

        await File.WriteAllTextAsync(_temp.File("junk.db"), new string('x', 10_000), TestContext.Current.CancellationToken);
        var junk = await Cli.RunAsync(_temp.Path, "verify", "--store", _temp.File("junk.db"));
        Assert.Equal(ExitCodes.Damaged, junk.Exit);
        Assert.StartsWith("error: ", junk.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stats_get_search_and_optimize()
    {
        await SeedAsync(50);
        var stats = await Cli.RunAsync(_temp.Path, "stats");
        Assert.Contains("documents  50", stats.Out, StringComparison.Ordinal);
        var get = await Cli.RunAsync(_temp.Path, "get", "7");
        Assert.Equal(ExitCodes.Ok, get.Exit);
        Assert.StartsWith("# note 7", get.Out, StringComparison.Ordinal);
        var json = JsonDocument.Parse((await Cli.RunAsync(_temp.Path, "get", "7", "--json")).Out).RootElement;
        Assert.Equal(7, json.GetProperty("id").GetInt64());
        Assert.Equal(ExitCodes.NotFound, (await Cli.RunAsync(_temp.Path, "get", "9999")).Exit);
        Assert.Equal(ExitCodes.Usage, (await Cli.RunAsync(_temp.Path, "get", "seven")).Exit);

        var search = await Cli.RunAsync(_temp.Path, "search", "zebra", "--limit", "3");
        Assert.Contains("5 documents match.", search.Out, StringComparison.Ordinal);
        Assert.Contains("[zebra]", search.Out, StringComparison.Ordinal);
        var hits = JsonDocument.Parse((await Cli.RunAsync(_temp.Path, "search", "zebra", "--json")).Out).RootElement;
        Assert.Equal(5, hits.GetArrayLength());

        Assert.Equal(ExitCodes.Ok, (await Cli.RunAsync(_temp.Path, "optimize", "--vacuum")).Exit);
        Assert.Equal(ExitCodes.Ok, (await Cli.RunAsync(_temp.Path, "verify")).Exit);
    }

    [Fact]
    public async Task A_missing_store_is_not_created_by_read_commands()
    {
        foreach (var command in new[] { new[] { "verify" }, ["stats"], ["get", "1"], ["search", "x"], ["export", _temp.File("x.jsonl")], ["backup", _temp.File("b.db")], ["optimize"] })
        {
            var result = await Cli.RunAsync(_temp.Path, [.. command, "--store", _temp.File("absent.db")]);
            Assert.Equal(ExitCodes.NotFound, result.Exit);
            Assert.Contains("There is no store", result.Error, StringComparison.Ordinal);
        }

        Assert.False(File.Exists(_temp.File("absent.db")));
    }

    [Fact]
    public async Task Bad_arguments_exit_2_with_one_clear_line_and_verbose_shows_the_trace()
    {
        var unknown = await Cli.RunAsync(_temp.Path, "frobnicate");
        Assert.Equal(ExitCodes.Usage, unknown.Exit);
        Assert.Contains("docstore --help", unknown.Error, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Usage, (await Cli.RunAsync(_temp.Path, "import")).Exit);
        Assert.Equal(ExitCodes.Usage, (await Cli.RunAsync(_temp.Path, "rekey")).Exit);

        var quiet = await Cli.RunAsync(_temp.Path, "verify", "--store", _temp.File("none.db"));
        Assert.Single(quiet.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        var verbose = await Cli.RunAsync(_temp.Path, "verify", "--store", _temp.File("none.db"), "--verbose");
        Assert.Contains("   at ", verbose.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_lists_every_command_and_the_exit_codes()
    {
        var help = await Cli.RunAsync(_temp.Path, "--help");
        Assert.Equal(ExitCodes.Ok, help.Exit);
        Assert.Contains("Usage:\n  docstore [command] [options]", help.Out.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.DoesNotContain("DocStore.Cli", help.Out, StringComparison.Ordinal);
        Assert.Contains("docstore import <PATH>...", (await Cli.RunAsync(_temp.Path, "import", "--help")).Out, StringComparison.Ordinal);
        foreach (var command in new[] { "import", "export", "backup", "verify", "stats", "get", "search", "optimize", "rekey", "encrypt", "decrypt" })
        {
            Assert.Contains("  " + command, help.Out, StringComparison.Ordinal);
        }

        Assert.Contains("Exit codes:", help.Out, StringComparison.Ordinal);
    }

    private async Task SeedAsync(int count)
    {
        await using var store = new LocalStorageSystem(new DocStoreOptions { DatabasePath = _temp.File("docstore.db") });
        await store.CreateManyAsync(Enumerable.Range(1, count).Select(i => new NewDocument { Title = $"note {i}", Type = "note", Content = i % 10 == 0 ? "a zebra crossing" : "ordinary text" }), TestContext.Current.CancellationToken);
    }

    private static List<string> Comparable(string path) => File.ReadLines(path)
        .Select(line =>
        {
            using var document = JsonDocument.Parse(line);
            var r = document.RootElement;
            string? Get(string name) => r.TryGetProperty(name, out var v) ? v.ToString() : null;
            return string.Join('|', Get("title"), Get("type"), Get("status"), Get("content"), Get("format"), Get("tags"), Get("metadata"), Get("sourcePath"));
        })
        .Order(StringComparer.Ordinal)
        .ToList();
}
