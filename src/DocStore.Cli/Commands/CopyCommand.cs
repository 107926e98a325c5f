using System.CommandLine;

namespace DocStore.Cli.Commands;

/// <summary><c>copy</c>: every document, version and audit row of the store into a new store, on either engine.</summary>
internal static class CopyCommand
{
    public static Command Create(CliContext context)
    {
        var toFile = new Option<string?>("--to") { Description = "The new store file to copy into (must not exist)." };
        var toConnection = new Option<string?>("--to-connection") { Description = "The PostgreSQL database to copy into (its DocStore tables must be empty or absent)." };
        var command = new Command(
            "copy",
            "Copy the store, ids and history kept, into a new store: a file (--to) or a PostgreSQL database (--to-connection). The copy is verified.")
        {
            toFile, toConnection,
        };
        command.SetAction((parsed, ct) => CliApp.Guard(parsed, context, async access =>
        {
            var (file, connection) = (parsed.GetValue(toFile), parsed.GetValue(toConnection));
            if ((file is null) == (connection is null))
            {
                throw new ArgumentException("Name one destination: --to FILE or --to-connection CONNECTION_STRING.");
            }

            DocStoreOptions destination;
            string name;
            if (file is not null)
            {
                var path = Path.GetFullPath(file);
                if (File.Exists(path))
                {
                    throw new IOException($"{path} exists; copy into a new file.");
                }

                destination = new DocStoreOptions { DatabasePath = path };
                name = path;
            }
            else
            {
                destination = StoreAccess.Options(connection!);
                name = "the PostgreSQL database";
            }

            await using var store = access.Open();
            var result = await store.CopyToAsync(destination, new PlainProgress(context.Out, System.Diagnostics.Stopwatch.StartNew()), ct).ConfigureAwait(false);
            await context.Out.WriteLineAsync(
                $"Copied {result.Documents:N0} documents, {result.Versions:N0} earlier versions and {result.AuditEntries:N0} audit rows from {access.Name} to {name} in {result.Duration.TotalSeconds:N1} s.").ConfigureAwait(false);
            await context.Out.WriteLineAsync(result.Verification.ToString()).ConfigureAwait(false);
            return result.Verification.IsHealthy ? ExitCodes.Ok : ExitCodes.Damaged;
        }));
        return command;
    }

    /// <summary>Progress as plain lines, at most one a second (reported on the copying thread, so lines keep their order).</summary>
    private sealed class PlainProgress(TextWriter output, System.Diagnostics.Stopwatch watch) : IProgress<CopyProgress>
    {
        private TimeSpan _last;

        public void Report(CopyProgress value)
        {
            if (watch.Elapsed - _last < TimeSpan.FromSeconds(1))
            {
                return;
            }

            _last = watch.Elapsed;
            output.WriteLine($"{value.Documents:N0} documents and {value.AuditEntries:N0} audit rows copied, {value.Documents / Math.Max(watch.Elapsed.TotalSeconds, 0.001):N0} documents/s");
        }
    }
}
