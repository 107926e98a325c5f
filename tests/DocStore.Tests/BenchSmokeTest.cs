using System.Text.Json;
using DocStore.Bench;
using DocStore.Bench.Workloads;
using DocStore.Tests.Infrastructure;

namespace DocStore.Tests;

/// <summary>Runs the README's main job (the compare benchmark) in a CI-sized form, so the harness cannot rot.</summary>
public sealed class BenchSmokeTest
{
    private static readonly string[] Workloads =
    [
        "get-cached", "get-uncached", "get-zipf", "get-many-10", "list-by-type", "search-selective", "search-common", "create-single", "create-batch-100", "create-concurrent", "update-single", "update-concurrent", "cold-start",
    ];

    [Fact]
    public async Task Compare_quick_runs_every_workload_and_writes_the_json_format()
    {
        using var temp = new TempDirectory();
        var json = temp.File("compare.json");
        var output = new StringWriter();
        var exit = await BenchProgram.RunAsync(["compare", "--quick", "--docs", "600", "--seconds", "0.05", "--threads", "2", "--json", json, "--db-dir", temp.Path], output);

        Assert.Equal(0, exit);
        using var document = JsonDocument.Parse(await File.ReadAllTextAsync(json));
        var meta = document.RootElement.GetProperty("meta");
        Assert.Equal(600, meta.GetProperty("docs").GetInt32());
        Assert.Equal(2, meta.GetProperty("threads").GetInt32());
        foreach (var key in new[] { "machine", "date", "size", "seconds" })
        {
            Assert.True(meta.TryGetProperty(key, out _), key);
        }

        var results = document.RootElement.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(Workloads, results.Select(r => r.GetProperty("workload").GetString()).Distinct());
        Assert.All(results, r =>
        {
            Assert.True(r.GetProperty("ops_per_sec").GetDouble() > 0);
            Assert.True(r.GetProperty("p99_us").GetDouble() >= r.GetProperty("p50_us").GetDouble());
            Assert.Contains(r.GetProperty("system").GetString(), SystemFactory.All);
        });
        Assert.Contains("| workload | system |", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Compare_quick_on_postgresql_copies_the_documents_and_runs_every_workload_on_the_postgresql_systems()
    {
        await using var server = new PostgresDatabase();
        using var temp = new TempDirectory();
        var json = temp.File("compare-postgresql.json");
        var exit = await BenchProgram.RunAsync(["compare", "--quick", "--engine", "postgresql", "--postgres", server.ConnectionString, "--docs", "300", "--seconds", "0.05", "--threads", "2", "--json", json, "--db-dir", temp.Path], new StringWriter());

        Assert.Equal(0, exit);
        using var document = JsonDocument.Parse(await File.ReadAllTextAsync(json));
        var results = document.RootElement.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal([.. Workloads[..^1], "get-zipf-instances"], results.Select(r => r.GetProperty("workload").GetString()).Distinct());
        string[] systems = [.. SystemFactory.PostgreSql, .. SystemFactory.InstancePairs, "dictionary"];
        Assert.All(results, r => Assert.Contains(r.GetProperty("system").GetString(), systems));

        // The floor runs every workload but the instances' (reads, listings, searches, writes).
        Assert.Equal(
            Workloads[..^1],
            results.Where(r => r.GetProperty("system").GetString() == "raw-npgsql").Select(r => r.GetProperty("workload").GetString()).Distinct());
        Assert.Equal(SystemFactory.InstancePairs, results.Where(r => r.GetProperty("workload").GetString() == "get-zipf-instances").Select(r => r.GetProperty("system").GetString()));

        // The bench's own database is dropped afterwards.
        Assert.Equal(0, server.Scalar("SELECT count(*) FROM pg_database WHERE datname LIKE 'docstore_bench_%'"));
    }

    [Fact]
    public async Task Compare_with_systems_runs_only_those()
    {
        using var temp = new TempDirectory();
        var json = temp.File("compare.json");
        var exit = await BenchProgram.RunAsync(["compare", "--quick", "--docs", "300", "--seconds", "0.05", "--workloads", "get-uncached,get-cached", "--systems", "optimized-notrack,raw-sqlite", "--json", json, "--db-dir", temp.Path], new StringWriter());

        Assert.Equal(0, exit);
        using var document = JsonDocument.Parse(await File.ReadAllTextAsync(json));
        var rows = document.RootElement.GetProperty("results").EnumerateArray()
            .Select(r => (r.GetProperty("workload").GetString(), r.GetProperty("system").GetString())).Distinct().ToList();

        // optimized-notrack runs the uncached workload only; raw-sqlite runs both.
        Assert.Equal([("get-cached", "raw-sqlite"), ("get-uncached", "optimized-notrack"), ("get-uncached", "raw-sqlite")], rows);
    }

    [Fact]
    public async Task Compare_quick_on_an_encrypted_file_runs_every_workload_in_a_process_of_its_own()
    {
        // SQLCipher is bound process-wide before any SQLite call, so the encrypted run needs a process of its own.
        using var temp = new TempDirectory();
        var json = temp.File("encrypted.json");
        var start = new System.Diagnostics.ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { typeof(BenchProgram).Assembly.Location, "compare", "--quick", "--encrypted", "--docs", "300", "--seconds", "0.05", "--threads", "2", "--json", json, "--db-dir", temp.Path })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = System.Diagnostics.Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var error = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromMinutes(3), TestContext.Current.CancellationToken);
        Assert.True(process.ExitCode == 0, $"exit {process.ExitCode}\n{await output}\n{await error}");
        using var document = JsonDocument.Parse(await File.ReadAllTextAsync(json, TestContext.Current.CancellationToken));
        Assert.True(document.RootElement.GetProperty("meta").GetProperty("encrypted").GetBoolean());
        var workloads = document.RootElement.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("workload").GetString()!).ToHashSet();
        Assert.Equal(Workloads.ToHashSet(), workloads);
    }

    [Fact]
    public async Task Compare_in_rounds_adds_up_every_round_of_a_read_cell_and_measures_writes_once()
    {
        using var temp = new TempDirectory();
        var json = temp.File("compare.json");
        var output = new StringWriter();
        var exit = await BenchProgram.RunAsync(["compare", "--quick", "--docs", "300", "--seconds", "0.05", "--rounds", "3", "--workloads", "get-cached,get-uncached,update-single", "--systems", "optimized,raw-sqlite", "--json", json, "--db-dir", temp.Path], output);

        Assert.Equal(0, exit);
        using var document = JsonDocument.Parse(await File.ReadAllTextAsync(json));
        Assert.Equal(3, document.RootElement.GetProperty("meta").GetProperty("rounds").GetInt32());
        var results = document.RootElement.GetProperty("results").EnumerateArray().ToList();
        var reads = results.Where(r => r.GetProperty("workload").GetString()!.StartsWith("get-", StringComparison.Ordinal)).ToList();
        Assert.Equal(2 * 2 * 2, reads.Count);
        foreach (var read in reads)
        {
            var rounds = read.GetProperty("rounds_ops_per_sec").EnumerateArray().Select(r => r.GetDouble()).ToList();
            Assert.Equal(3, rounds.Count);
            Assert.All(rounds, rate => Assert.True(rate > 0));

            // The cell's figure is its rounds added up: between the slowest and the fastest round.
            var total = read.GetProperty("ops_per_sec").GetDouble();
            Assert.InRange(total, rounds.Min() * 0.999, rounds.Max() * 1.001);
        }

        var writes = results.Where(r => r.GetProperty("workload").GetString() == "update-single").ToList();
        Assert.Equal(2, writes.Count);
        Assert.All(writes, w => Assert.Equal(JsonValueKind.Null, w.GetProperty("rounds_ops_per_sec").ValueKind));

        // Each read cell is logged once per round, the writes once.
        var log = output.ToString();
        Assert.Equal(3, CountOf(log, "== get-uncached:"));
        Assert.Equal(1, CountOf(log, "== update-single:"));
    }

    [Fact]
    public async Task Ycsb_quick_runs_all_six_workloads()
    {
        using var temp = new TempDirectory();
        var json = temp.File("ycsb.json");
        var exit = await BenchProgram.RunAsync(["ycsb", "--quick", "--docs", "400", "--seconds", "0.05", "--threads", "2", "--json", json, "--db-dir", temp.Path], new StringWriter());
        Assert.Equal(0, exit);
        using var document = JsonDocument.Parse(await File.ReadAllTextAsync(json));
        var names = document.RootElement.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("workload").GetString()).Distinct();
        Assert.Equal(["ycsb-a", "ycsb-b", "ycsb-c", "ycsb-d", "ycsb-e", "ycsb-f"], names);
    }

    [Fact]
    public async Task Bad_arguments_exit_with_code_2()
    {
        Assert.Equal(2, await BenchProgram.RunAsync(["compare", "--docs"], new StringWriter()));
        Assert.Equal(2, await BenchProgram.RunAsync(["nonsense"], new StringWriter()));
        Assert.Equal(2, await BenchProgram.RunAsync(["compare", "--rounds", "0"], new StringWriter()));
    }

    private static int CountOf(string text, string value)
    {
        var count = 0;
        for (var at = text.IndexOf(value, StringComparison.Ordinal); at >= 0; at = text.IndexOf(value, at + value.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
