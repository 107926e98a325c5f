using System.Diagnostics;
using System.Globalization;
using DocStore.Bench.Harness;
using DocStore.Fast;
using DocStore.Sql;
using Microsoft.Data.Sqlite;

namespace DocStore.Bench.Workloads;

/// <summary>
/// Time to first document: a new process per run, timed by the parent from <see cref="Process.Start()"/>
/// until the child prints the title of the document it read. Runtime start-up and JIT count, as they do
/// for a user's application. The systems take turns run by run, so machine noise falls on all of them.
/// </summary>
public static class ColdStart
{
    /// <summary>The systems compared; raw-sqlite is the floor (a bare Microsoft.Data.Sqlite open and read).</summary>
    public static readonly string[] Systems = ["raw-sqlite", "optimized", "ef-baseline"];

    /// <summary>
    /// The child's side: open <paramref name="args"/>' system on the file, read one document, print its title
    /// and how long the open and the read took inside the process (the runtime's own start is not in them). A fifth
    /// argument, <c>encrypted</c>, binds SQLCipher first and opens the file with the bench's key.
    /// </summary>
    public static async Task<int> ChildAsync(string[] args)
    {
        var (system, path, id) = (args[1], args[2], long.Parse(args[3], CultureInfo.InvariantCulture));
        var key = args.Length == 5 && args[4] == "encrypted" ? BenchOptions.BenchKey : null;
        var watch = Stopwatch.StartNew();
        if (key is not null)
        {
            // SQLCipher must be chosen before the process's first SQLite call; its loading is part of an encrypted start.
            SqlCipher.UseSystemLibrary();
        }

        TimeSpan opened;
        string? title;
        switch (system)
        {
            case "raw-sqlite":
                using (var connection = new SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=False"))
                {
                    connection.Open();
                    using var command = connection.CreateCommand();
                    if (key is not null)
                    {
                        command.CommandText = "PRAGMA key = " + BenchDatabase.KeyLiteral(key);
                        command.ExecuteNonQuery();
                    }

                    opened = watch.Elapsed;
                    command.CommandText = $"SELECT {DocumentColumns.SelectList} FROM {DocumentColumns.From} WHERE d.id = $id AND {QuerySql.NotDeleted}";
                    command.Parameters.AddWithValue("$id", id);
                    using var reader = command.ExecuteReader();
                    title = reader.Read() ? DocumentColumns.Read(reader).Title : null;
                    Report(title, opened, watch.Elapsed);
                }

                return 0;
            case "optimized":
                await using (var store = new OptimizedStorageSystem(new OptimizedStorageOptions { DatabasePath = path, EncryptionKey = key }))
                {
                    opened = watch.Elapsed;
                    title = (await store.GetAsync(id))?.Title;
                    Report(title, opened, watch.Elapsed);
                }

                return 0;
            case "ef-baseline":
                await using (var store = new LocalStorageSystem(new DocStoreOptions { DatabasePath = path, EncryptionKey = key }))
                {
                    opened = watch.Elapsed;
                    title = (await store.GetAsync(id))?.Title;
                    Report(title, opened, watch.Elapsed);
                }

                return 0;
            default:
                throw new ArgumentException($"Unknown system '{system}'.");
        }
    }

    /// <summary>Runs each system <paramref name="runs"/> times in fresh processes; one result per system (p50 = median).</summary>
    public static List<RunResult> Run(BenchDatabase database, int runs, Action<string> log)
    {
        var id = database.Ids[database.Ids.Length / 2];
        var times = Systems.ToDictionary(s => s, _ => new List<double>());
        var opens = Systems.ToDictionary(s => s, _ => new List<double>());
        var reads = Systems.ToDictionary(s => s, _ => new List<double>());
        for (var run = 0; run < runs; run++)
        {
            foreach (var system in Systems)
            {
                var (total, open, read) = TimeChild(system, database.Path, id, database.Key is not null);
                times[system].Add(total);
                opens[system].Add(open);
                reads[system].Add(read);
            }
        }

        var results = new List<RunResult>();
        var floor = Median(times["raw-sqlite"]);
        foreach (var system in Systems)
        {
            var sorted = times[system].Order().ToList();
            var median = Median(sorted);
            var note = string.Create(CultureInfo.InvariantCulture, $"median {median:0} ms, min {sorted[0]:0}, max {sorted[^1]:0} ms over {runs} processes; {median / floor:0.00}x raw-sqlite; inside the process: open {Median(opens[system]):0.0} ms, first read {Median(reads[system]):0.0} ms");
            log($"  {system}: {note}");
            results.Add(new RunResult("cold-start", system, 1, 1000 / median, median * 1000, Percentile(sorted, 0.95) * 1000, sorted[^1] * 1000, runs, note));
        }

        return results;
    }

    private static void Report(string? title, TimeSpan opened, TimeSpan done)
    {
        // The parent stops its clock on this line; writing it is the last thing timed.
        Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"first-document: {title ?? "<none>"}\t{opened.TotalMilliseconds:0.00}\t{(done - opened).TotalMilliseconds:0.00}"));
        Console.Out.Flush();
    }

    /// <summary>One child: wall time from start to its line, and its own open and read times (ms).</summary>
    private static (double Total, double Open, double Read) TimeChild(string system, string path, long id, bool encrypted)
    {
        // The bench's own apphost, found next to its assembly: the current process may be a test host
        // that runs the bench in-process.
        var assembly = typeof(ColdStart).Assembly.Location;
        var apphost = Path.Combine(Path.GetDirectoryName(assembly)!, Path.GetFileNameWithoutExtension(assembly) + (OperatingSystem.IsWindows() ? ".exe" : string.Empty));
        var start = File.Exists(apphost) ? new ProcessStartInfo(apphost) : new ProcessStartInfo("dotnet") { ArgumentList = { assembly } };
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;

        foreach (var argument in new[] { "first-read", system, path, id.ToString(CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(argument);
        }

        if (encrypted)
        {
            start.ArgumentList.Add("encrypted");
        }

        var watch = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException("The child did not start.");
        var line = process.StandardOutput.ReadLine();
        var elapsed = watch.Elapsed.TotalMilliseconds;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        var parts = line?.Split('\t');
        if (parts is not { Length: 3 } || !parts[0].StartsWith("first-document: ", StringComparison.Ordinal) || parts[0].EndsWith("<none>", StringComparison.Ordinal) || process.ExitCode != 0)
        {
            throw new InvalidOperationException($"cold-start child for {system} failed (exit {process.ExitCode}): {line} {error}");
        }

        return (elapsed, double.Parse(parts[1], CultureInfo.InvariantCulture), double.Parse(parts[2], CultureInfo.InvariantCulture));
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static double Percentile(List<double> sorted, double p) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
}
