using System.CommandLine;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using DocStore.Import;
using Spectre.Console;

namespace DocStore.Cli.Commands;

/// <summary>
/// <c>docstore import PATH...</c>: folders of HTML, Markdown or text files, single files, and JSON-lines files
/// (an export), streamed in batches (memory holds one batch), re-runnable: a file's identity is its canonical full
/// path, so an unchanged file is left alone, a changed one updates its document (a new version) and a new one is
/// created. Bad files and lines are reported by path and number while the rest goes in.
/// </summary>
internal static class ImportCommand
{
    public static Command Create(CliContext context)
    {
        var paths = new Argument<string[]>("PATH") { Description = "Folders, files, or .jsonl/.ndjson files to import.", Arity = ArgumentArity.OneOrMore };
        var type = new Option<string>("--type") { Description = "Type slug for documents read from files (JSON lines carry their own).", DefaultValueFactory = _ => "imported" };
        var batch = new Option<int>("--batch-size") { Description = "Documents per transaction (1-10000).", DefaultValueFactory = _ => 1_000 };
        var command = new Command("import", "Import documents; safe to run again.") { paths, type, batch };
        command.SetAction((parsed, ct) => CliApp.Guard(parsed, context, access => RunAsync(access, context, parsed.GetValue(paths)!, parsed.GetValue(type)!, parsed.GetValue(batch), ct)));
        return command;
    }

    private static async Task<int> RunAsync(StoreAccess access, CliContext context, string[] paths, string type, int batchSize, CancellationToken ct)
    {
        if (batchSize is < 1 or > 10_000)
        {
            throw new ArgumentException("--batch-size must be between 1 and 10000.");
        }

        var problems = new List<string>();
        var sources = new List<(long Start, string Path)>();
        var total = Estimate(paths);
        await using var store = access.Open(create: true);
        var watch = Stopwatch.StartNew();
        ImportResult result;
        if (context.Interactive)
        {
            result = await context.Console.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
                .StartAsync(async progress =>
                {
                    var task = progress.AddTask("importing", maxValue: Math.Max(total, 1));
                    var reporter = new Progress<DocStore.ImportProgress>(p =>
                    {
                        task.Value = Math.Min(p.Read, task.MaxValue);
                        task.Description = $"{p.Read:N0} read, {p.Read / Math.Max(watch.Elapsed.TotalSeconds, 0.001):N0}/s";
                    });
                    var r = await Import(store, paths, type, batchSize, problems, sources, reporter, ct).ConfigureAwait(false);
                    task.Value = task.MaxValue;
                    return r;
                }).ConfigureAwait(false);
        }
        else
        {
            var reporter = new PlainProgress(context.Out, total, watch);
            result = await Import(store, paths, type, batchSize, problems, sources, reporter, ct).ConfigureAwait(false);
        }

        foreach (var problem in problems)
        {
            await context.Error.WriteLineAsync(problem).ConfigureAwait(false);
        }

        foreach (var rejection in result.Rejections)
        {
            var source = sources.Last(s => s.Start <= rejection.Index);
            var where = rejection.SourcePath is { } file && !IsJsonLines(source.Path) ? file : $"{source.Path}: document {rejection.Index - source.Start + 1}";
            await context.Error.WriteLineAsync($"{where}: rejected: {string.Join("; ", rejection.Errors)}").ConfigureAwait(false);
        }

        if (result.Rejected > result.Rejections.Count)
        {
            await context.Error.WriteLineAsync($"... and {result.Rejected - result.Rejections.Count:N0} more rejected (the first {result.Rejections.Count:N0} are listed).").ConfigureAwait(false);
        }

        await context.Out.WriteLineAsync($"Created {result.Created:N0}, updated {result.Updated:N0}, unchanged {result.Unchanged:N0}, rejected {result.Rejected:N0}, {problems.Count:N0} unreadable files or lines, in {watch.Elapsed.TotalSeconds:N1} s.").ConfigureAwait(false);
        return problems.Count > 0 || result.Rejected > 0 ? ExitCodes.Partial : ExitCodes.Ok;
    }

    private static Task<ImportResult> Import(IDocumentStore store, string[] paths, string type, int batchSize, List<string> problems, List<(long Start, string Path)> sources, IProgress<DocStore.ImportProgress> progress, CancellationToken ct) =>
        store.ImportAsync(Read(paths, type, problems, sources, ct), new ImportOptions { BatchSize = batchSize, MatchExisting = true, SkipInvalid = true, Progress = progress }, ct);

    /// <summary>The documents of every input in turn; <paramref name="sources"/> gets where each input starts in the stream, to name it in rejections.</summary>
    private static async IAsyncEnumerable<NewDocument> Read(string[] paths, string type, List<string> problems, List<(long Start, string Path)> sources, [EnumeratorCancellation] CancellationToken ct)
    {
        long index = 0;
        foreach (var path in paths)
        {
            sources.Add((index, path));
            if (File.Exists(path) && IsJsonLines(path))
            {
                using var reader = new StreamReader(path);
                await foreach (var document in JsonLines.ReadAsync(reader, e => problems.Add($"{path}:{e.Line}: {e.Message}"), ct).ConfigureAwait(false))
                {
                    index++;
                    yield return document;
                }
            }
            else
            {
                await foreach (var document in FolderImporter.ReadFilesAsync([path], type, (file, e) => problems.Add($"{file}: {e.Message}"), ct).ConfigureAwait(false))
                {
                    index++;
                    yield return document;
                }
            }
        }
    }

    private static bool IsJsonLines(string path) => Path.GetExtension(path).ToLowerInvariant() is ".jsonl" or ".ndjson";

    /// <summary>How many documents the inputs hold, for the ETA: supported files, plus non-blank lines of JSON-lines files.</summary>
    private static long Estimate(string[] paths)
    {
        long total = 0;
        var options = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true };
        foreach (var path in paths)
        {
            if (Directory.Exists(path))
            {
                total += Directory.EnumerateFiles(path, "*", options).LongCount(f => FolderImporter.IsSupported(Path.GetExtension(f)));
            }
            else if (File.Exists(path))
            {
                try
                {
                    total += IsJsonLines(path) ? File.ReadLines(path).LongCount(l => !string.IsNullOrWhiteSpace(l)) : 1;
                }
                catch (IOException)
                {
                    // Reported when the import reads it.
                }
            }
        }

        return total;
    }

    /// <summary>Progress as plain lines (output redirected): at most one line a second, and the last.</summary>
    private sealed class PlainProgress(TextWriter output, long total, Stopwatch watch) : IProgress<DocStore.ImportProgress>
    {
        private TimeSpan? _last;

        public void Report(DocStore.ImportProgress value)
        {
            if (_last is { } last && watch.Elapsed - last < TimeSpan.FromSeconds(1) && value.Read < total)
            {
                return;
            }

            _last = watch.Elapsed;
            var rate = value.Read / Math.Max(watch.Elapsed.TotalSeconds, 0.001);
            var eta = total > value.Read && rate > 0 ? $", about {TimeSpan.FromSeconds((total - value.Read) / rate):hh\\:mm\\:ss} left" : string.Empty;
            output.WriteLine($"{value.Read:N0}{(total > 0 ? $"/{total:N0}" : string.Empty)} read, {value.Created:N0} created, {value.Updated:N0} updated, {value.Unchanged:N0} unchanged, {rate:N0}/s{eta}");
        }
    }
}
