using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace DocStore.Bench.Harness;

/// <summary>Prints results as a Markdown table (with ratios to ef-baseline) and writes the JSON file.</summary>
public static class Report
{
    public const string Baseline = "ef-baseline";

    public static string Markdown(IReadOnlyList<RunResult> results)
    {
        var builder = new StringBuilder();
        builder.AppendLine("| workload | system | threads | ops/s | p50 us | p95 us | p99 us | vs ef-baseline | alloc B/op | GC pause | note |");
        builder.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|");
        foreach (var r in results)
        {
            var baseline = results.FirstOrDefault(b => b.Workload == r.Workload && b.Threads == r.Threads && b.System == Baseline);
            var ratio = baseline is null || baseline.OpsPerSecond == 0 ? "" : string.Create(CultureInfo.InvariantCulture, $"{r.OpsPerSecond / baseline.OpsPerSecond:0.0}x");
            builder.AppendLine(CultureInfo.InvariantCulture, $"| {r.Workload} | {r.System} | {r.Threads} | {r.OpsPerSecond:N0} | {r.P50Us:0.0} | {r.P95Us:0.0} | {r.P99Us:0.0} | {ratio} | {r.Gc?.BytesPerOperation:N0} | {r.Gc?.PauseShare:P1} | {r.Note} |");
        }

        return builder.ToString();
    }

    public static Dictionary<string, object?> Meta(BenchOptions options, Workloads.BenchDatabase database) => new()
    {
        ["mode"] = options.Mode,
        ["machine"] = MachineDescription(),
        ["os"] = RuntimeInformation.OSDescription,
        ["runtime"] = RuntimeInformation.FrameworkDescription,
        ["cores"] = Environment.ProcessorCount,
        ["date"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
        ["docs"] = options.Documents,
        ["size"] = options.SizeBytes,
        ["threads"] = options.Threads,
        ["seconds"] = options.Seconds,
        ["rounds"] = options.Rounds,
        ["quick"] = options.Quick,
        ["corpus"] = database.CorpusName,
        ["text_bytes"] = database.TextBytes,
        ["file_bytes"] = database.FileBytes,
        ["bytes_per_text_byte"] = Math.Round(database.BytesPerTextByte, 3),
        ["page_size"] = database.PageSize,
        ["storage_target_met"] = database.BytesPerTextByte <= 2.5 ? "yes" : "no",
        ["commit"] = GitCommit(),
        ["seed"] = options.Seed,
        ["encrypted"] = options.Encrypted,
    };

    /// <summary>
    /// The measured code's commit (short hash, "+dirty" with uncommitted changes to the code that runs: the
    /// library, the bench and the build files; edited docs and results do not change what is measured), or
    /// "unknown" outside a clone.
    /// </summary>
    private static string GitCommit()
    {
        try
        {
            static string Git(string arguments)
            {
                using var git = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("git", arguments) { RedirectStandardOutput = true, RedirectStandardError = true })!;
                var output = git.StandardOutput.ReadToEnd().Trim();
                git.WaitForExit();
                return git.ExitCode == 0 ? output : throw new InvalidOperationException(output);
            }

            var commit = Git("rev-parse --short HEAD");
            return Git("status --porcelain --untracked-files=no -- :/src :/bench/DocStore.Bench :/Directory.Build.props :/Directory.Packages.props").Length > 0 ? commit + "+dirty" : commit;
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return "unknown";
        }
    }

    public static void WriteJson(string path, Dictionary<string, object?> meta, IReadOnlyList<RunResult> results)
    {
        var document = new Dictionary<string, object?>
        {
            ["meta"] = meta,
            ["results"] = results.Select(r => new Dictionary<string, object?>
            {
                ["workload"] = r.Workload,
                ["system"] = r.System,
                ["threads"] = r.Threads,
                ["ops_per_sec"] = Math.Round(r.OpsPerSecond, 1),
                ["p50_us"] = Math.Round(r.P50Us, 2),
                ["p95_us"] = Math.Round(r.P95Us, 2),
                ["p99_us"] = Math.Round(r.P99Us, 2),
                ["operations"] = r.Operations,
                ["note"] = r.Note,
                ["alloc_bytes_per_op"] = r.Gc is { } gc ? Math.Round(gc.BytesPerOperation, 1) : null,
                ["gc_pause_share"] = r.Gc is { } g ? Math.Round(g.PauseShare, 4) : null,
                ["gc_collections"] = r.Gc is { } c ? new[] { c.Gen0, c.Gen1, c.Gen2 } : null,
                ["rounds_ops_per_sec"] = r.RoundOpsPerSecond?.Select(rate => Math.Round(rate, 1)).ToArray(),
            }).ToList(),
        };
        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(folder);
        }

        File.WriteAllText(path, JsonSerializer.Serialize(document, new JsonSerializerOptions { WriteIndented = true }));
    }

    /// <summary>CPU model and core count, from /proc/cpuinfo where there is one.</summary>
    public static string MachineDescription()
    {
        var cpu = "unknown CPU";
        try
        {
            if (File.Exists("/proc/cpuinfo"))
            {
                cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? cpu;
            }
        }
        catch (IOException)
        {
        }

        var memory = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1024.0 * 1024 * 1024);
        return string.Create(CultureInfo.InvariantCulture, $"{cpu}, {Environment.ProcessorCount} cores, {memory:0} GiB");
    }
}
