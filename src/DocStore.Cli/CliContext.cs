using Spectre.Console;

namespace DocStore.Cli;

/// <summary>
/// Where a command writes and what it may ask of its environment. Interactive runs (a terminal on standard
/// output) get Spectre.Console's live progress; redirected output and tests get plain lines.
/// </summary>
internal sealed class CliContext(TextWriter output, TextWriter error, bool interactive, Func<string, string?> environment)
{
    /// <summary>The environment variable holding a store's passphrase when no --key-file is given.</summary>
    public const string KeyVariable = "DOCSTORE_KEY";

    /// <summary>The environment variable holding a PostgreSQL store's connection string when no --connection is given.</summary>
    public const string ConnectionVariable = "DOCSTORE_CONNECTION";

    public TextWriter Out { get; } = output;

    public TextWriter Error { get; } = error;

    public bool Interactive { get; } = interactive;

    public Func<string, string?> Environment { get; } = environment;

    /// <summary>The console for rich output; only used when <see cref="Interactive"/>.</summary>
    public IAnsiConsole Console => AnsiConsole.Console;

    public static CliContext FromProcess() => new(System.Console.Out, System.Console.Error, !System.Console.IsOutputRedirected, System.Environment.GetEnvironmentVariable);
}
