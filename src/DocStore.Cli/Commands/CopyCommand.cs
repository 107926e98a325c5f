using System.CommandLine;

namespace DocStore.Cli.Commands;

/// <summary><c>copy</c>: every document, version and audit row of one store into another, on either engine, resuming an interrupted copy.</summary>
internal static class CopyCommand
{
    public static Command Create(CliContext context)
    {
        var from = new Option<string?>("--from")
        {
            Description = "The store to copy: a file, or a PostgreSQL connection string (else the store --store or --connection names; --key-file opens a keyed file).",
        };
        var to = new Option<string>("--to")
        {
            Description = "The store to copy into: a new file, a PostgreSQL connection string whose DocStore tables are empty or absent, or a destination an interrupted copy left (the copy resumes).",
            Required = true,
        };
        var command = new Command(
            "copy",
            "Copy a store, ids, history, read counts and audit log kept, into a new store on either engine (docstore copy --from notes.db --to \"Host=...\"). Run it again after an interruption to resume. The copy is verified.")
        {
            from, to,
        };
        command.SetAction((parsed, ct) => CliApp.Guard(parsed, context, async access =>
        {
            var source = parsed.GetValue(from) is { } named ? access.Elsewhere(named) : access;
            var target = parsed.GetValue(to)!;
            DocStoreOptions destination;
            string name;
            if (StoreAccess.IsConnectionString(target))
            {
                destination = StoreAccess.Options(target);
                name = "the PostgreSQL database";
            }
            else
            {
                name = Path.GetFullPath(target);
                destination = new DocStoreOptions { DatabasePath = name };
            }

            if (source.Connection == (destination.Engine == DocStoreEngine.PostgreSql ? destination.ConnectionString : null)
                && (source.Connection is not null || source.Path == destination.DatabasePath))
            {
                throw new ArgumentException("--from and --to name the same store.");
            }

            await using var store = source.Open();
            var result = await store.CopyToAsync(destination, new PlainProgress(context.Out, System.Diagnostics.Stopwatch.StartNew()), ct).ConfigureAwait(false);
            if (result.Resumed)
            {
                await context.Out.WriteLineAsync(
                    $"Resumed an interrupted copy: {result.ResumedDocuments:N0} documents and {result.ResumedAuditEntries:N0} audit rows were there already and match the source.").ConfigureAwait(false);
            }

            await context.Out.WriteLineAsync(
                $"Copied {result.Documents:N0} documents, {result.Versions:N0} earlier versions and {result.AuditEntries:N0} audit rows from {source.Name} to {name} in {result.Duration.TotalSeconds:N1} s.").ConfigureAwait(false);
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
            output.Flush();
        }
    }
}
