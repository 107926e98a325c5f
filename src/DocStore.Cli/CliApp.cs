using System.CommandLine;
using DocStore.Cli.Commands;

namespace DocStore.Cli;

/// <summary>
/// The <c>docstore</c> command line: global options, the commands, and one place that turns failures into
/// a one-line message and an exit code (<see cref="ExitCodes"/>); <c>--verbose</c> adds the stack trace.
/// </summary>
internal static class CliApp
{
    public static readonly Option<string> Store = new("--store", "-s")
    {
        Description = "The store file.",
        DefaultValueFactory = _ => "docstore.db",
        Recursive = true,
    };

    public static readonly Option<string?> Connection = new("--connection", "-c")
    {
        Description = $"A PostgreSQL store's connection string, instead of --store (else the {CliContext.ConnectionVariable} variable). Keep a password in PGPASSWORD or ~/.pgpass, not here.",
        Recursive = true,
    };

    public static readonly Option<string?> KeyFile = new("--key-file")
    {
        Description = $"A file whose first line is the store's passphrase (else the {CliContext.KeyVariable} variable; never on the command line).",
        Recursive = true,
    };

    public static readonly Option<bool> Verbose = new("--verbose")
    {
        Description = "On failure, show the full error with its stack trace.",
        Recursive = true,
    };

    public static readonly Option<bool> Json = new("--json")
    {
        Description = "Write the result as JSON.",
    };

    /// <summary>The command users type (the tool's command name).</summary>
    public const string ToolName = "docstore";

    public static async Task<int> RunAsync(string[] args, CliContext context, CancellationToken cancellationToken = default)
    {
        var root = new RootCommand("docstore: operate a DocStore file or PostgreSQL store (import, export, backup, verify, inspect, search, keys, copy).\n" + ExitCodes.Help);
        root.Options.Add(Store);
        root.Options.Add(Connection);
        root.Options.Add(KeyFile);
        root.Options.Add(Verbose);
        foreach (var command in new[]
        {
            ImportCommand.Create(context), ExportCommand.Create(context), MaintenanceCommands.Backup(context), MaintenanceCommands.Verify(context),
            InspectCommands.Stats(context), InspectCommands.Get(context), InspectCommands.Search(context), MaintenanceCommands.Optimize(context),
            KeyCommands.Rekey(context), KeyCommands.Encrypt(context), KeyCommands.Decrypt(context), CopyCommand.Create(context),
        })
        {
            root.Subcommands.Add(command);
        }

        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors)
            {
                await context.Error.WriteLineAsync("error: " + error.Message).ConfigureAwait(false);
            }

            await context.Error.WriteLineAsync("Run 'docstore --help' for usage.").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        if (parsed.Action is System.CommandLine.Help.HelpAction)
        {
            // System.CommandLine names the root command after the executable (DocStore.Cli, the assembly the tool
            // runs); users type the tool's command name, so the help says that.
            var help = new StringWriter();
            var exit = await parsed.InvokeAsync(new InvocationConfiguration { Output = help, Error = context.Error }, cancellationToken).ConfigureAwait(false);
            await context.Out.WriteAsync(help.ToString().Replace(RootCommand.ExecutableName + " ", ToolName + " ", StringComparison.Ordinal)).ConfigureAwait(false);
            return exit;
        }

        return await parsed.InvokeAsync(new InvocationConfiguration { Output = context.Out, Error = context.Error, EnableDefaultExceptionHandler = false }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs a command body, mapping its failure to a message and an exit code.</summary>
    public static async Task<int> Guard(ParseResult parsed, CliContext context, Func<StoreAccess, Task<int>> body)
    {
        try
        {
            var connection = parsed.GetValue(Connection) ?? (context.Environment(CliContext.ConnectionVariable) is { Length: > 0 } variable ? variable : null);
            var access = new StoreAccess(parsed.GetValue(Store)!, parsed.GetValue(KeyFile), connection, context);
            return await body(access).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            var (code, message) = Classify(e);
            await context.Error.WriteLineAsync("error: " + ToolWords.Of(message)).ConfigureAwait(false);
            if (parsed.GetValue(Verbose))
            {
                await context.Error.WriteLineAsync(e.ToString()).ConfigureAwait(false);
            }

            return code;
        }
    }

    private static (int Code, string Message) Classify(Exception e) => e switch
    {
        OperationCanceledException => (ExitCodes.Failed, "cancelled."),
        EncryptionKeyException or EncryptionUnavailableException => (ExitCodes.Key, e.Message),
        StoreCorruptedException => (ExitCodes.Damaged, e.Message),
        StorageException { Kind: StorageErrorKind.NotADatabase } => (ExitCodes.Damaged, e.Message),
        DocumentNotFoundException or FileNotFoundException or DirectoryNotFoundException => (ExitCodes.NotFound, e.Message),
        ArgumentException or NotSupportedException => (ExitCodes.Usage, e.Message),
        DocStoreException or IOException or UnauthorizedAccessException => (ExitCodes.Failed, e.Message),
        _ => (ExitCodes.Failed, $"{e.GetType().Name}: {e.Message}"),
    };
}
