using System.Diagnostics;

namespace DocStore.Cli.Tests;

/// <summary>Runs the tool in-process (through <see cref="CliApp"/>, output captured) or as its own process.</summary>
internal static class Cli
{
    /// <summary>One run's exit code and output.</summary>
    public sealed record Result(int Exit, string Out, string Error);

    public static async Task<Result> RunAsync(string folder, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var context = new CliContext(output, error, interactive: false, _ => null);
        var previous = Environment.CurrentDirectory;
        var exit = await CliApp.RunAsync(WithStore(folder, args), context, TestContext.Current.CancellationToken);
        Assert.Equal(previous, Environment.CurrentDirectory);
        return new Result(exit, output.ToString(), error.ToString());
    }

    /// <summary>The tool as a process (its apphost next to this test's assembly), with extra environment variables.</summary>
    public static async Task<Result> RunProcessAsync(string folder, IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var apphost = Path.Combine(AppContext.BaseDirectory, "DocStore.Cli");
        var start = new ProcessStartInfo(apphost) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = folder };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment.Remove("DOCSTORE_KEY");
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var error = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return new Result(process.ExitCode, await output, await error);
    }

    // In-process runs cannot change directory (tests run in parallel): the default store is made explicit.
    private static string[] WithStore(string folder, string[] args) =>
        args.Contains("--store") || args.Contains("-s") || args.Length == 0 || args[0].StartsWith('-') ? args : [.. args, "--store", Path.Combine(folder, "docstore.db")];
}
