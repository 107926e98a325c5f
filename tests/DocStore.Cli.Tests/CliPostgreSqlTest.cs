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
    public async Task Copy_moves_a_file_store_to_postgresql_and_back_and_refuses_a_used_destination()
    {
        await using var db = new PostgresDatabase();
        var lines = _temp.File("docs.jsonl");
        await File.WriteAllLinesAsync(lines, Enumerable.Range(0, 30).Select(i => $"{{\"title\":\"Doc {i}\",\"type\":\"note\",\"content\":\"body {i} wombat\"}}"), TestContext.Current.CancellationToken);
        Assert.Equal(ExitCodes.Ok, (await Cli.RunAsync(_temp.Path, "import", lines)).Exit);

        var there = await Cli.RunAsync(_temp.Path, "copy", "--to-connection", db.ConnectionString);
        Assert.Equal(ExitCodes.Ok, there.Exit);
        Assert.Contains("Copied 30 documents", there.Out, StringComparison.Ordinal);
        Assert.Equal(30, db.Count("documents"));

        var again = await Cli.RunAsync(_temp.Path, "copy", "--to-connection", db.ConnectionString);
        Assert.Equal(ExitCodes.Failed, again.Exit);
        Assert.Contains("not empty", again.Error, StringComparison.Ordinal);

        var back = _temp.File("back.db");
        Assert.Equal(ExitCodes.Ok, (await Cli.RunAsync(_temp.Path, "copy", "--to", back, "--connection", db.ConnectionString)).Exit);
        var stats = JsonDocument.Parse((await Cli.RunAsync(_temp.Path, "stats", "--json", "--store", back)).Out).RootElement;
        Assert.Equal(30, stats.GetProperty("documentCount").GetInt64());
        Assert.Contains("Doc 7", (await Cli.RunAsync(_temp.Path, "search", "wombat", "--store", back)).Out, StringComparison.Ordinal);

        Assert.Equal(ExitCodes.Usage, (await Cli.RunAsync(_temp.Path, "copy")).Exit);
    }
}
