using System.CommandLine;
using System.Text.Json;

namespace DocStore.Cli.Commands;

/// <summary><c>backup</c>, <c>verify</c> and <c>optimize</c>: the store's own online operations.</summary>
internal static class MaintenanceCommands
{
    public static Command Backup(CliContext context)
    {
        var destination = new Argument<string>("DEST") { Description = "The backup file to write (must not exist)." };
        var command = new Command("backup", "Copy the store to DEST while it may be in use (a consistent snapshot, verified).") { destination };
        command.SetAction((parsed, ct) => CliApp.Guard(parsed, context, async access =>
        {
            access.RequireFile("backup");
            var path = Path.GetFullPath(parsed.GetValue(destination)!);
            if (File.Exists(path))
            {
                throw new IOException($"{path} exists; choose a new file for the backup.");
            }

            await using var store = access.Open();
            await store.BackupAsync(path, ct).ConfigureAwait(false);
            await context.Out.WriteLineAsync($"Backed up {access.Path} to {path} ({new FileInfo(path).Length / 1048576.0:N1} MiB).").ConfigureAwait(false);
            return ExitCodes.Ok;
        }));
        return command;
    }

    public static Command Verify(CliContext context)
    {
        var command = new Command("verify", "Check the file and every invariant of the store; exit code 3 when damaged.") { CliApp.Json };
        command.SetAction((parsed, ct) => CliApp.Guard(parsed, context, async access =>
        {
            await using var store = access.Open();
            var report = await store.VerifyAsync(ct).ConfigureAwait(false);
            await context.Out.WriteLineAsync(parsed.GetValue(CliApp.Json)
                ? JsonSerializer.Serialize(report, new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true })
                : report.ToString()).ConfigureAwait(false);
            return report.IsHealthy ? ExitCodes.Ok : ExitCodes.Damaged;
        }));
        return command;
    }

    public static Command Optimize(CliContext context)
    {
        var vacuum = new Option<bool>("--vacuum") { Description = "Also rebuild the file to reclaim free pages (needs exclusive use and free disk space)." };
        var command = new Command("optimize", "Merge the full-text index, refresh the planner's statistics, checkpoint the log.") { vacuum };
        command.SetAction((parsed, ct) => CliApp.Guard(parsed, context, async access =>
        {
            await using var store = access.Open();
            var before = (await store.GetStatisticsAsync(ct).ConfigureAwait(false)).DatabaseBytes;
            await store.OptimizeAsync(parsed.GetValue(vacuum), ct).ConfigureAwait(false);
            await store.CheckpointAsync(ct).ConfigureAwait(false);
            var after = (await store.GetStatisticsAsync(ct).ConfigureAwait(false)).DatabaseBytes;
            await context.Out.WriteLineAsync($"Optimized {access.Name}: {before / 1048576.0:N1} MiB -> {after / 1048576.0:N1} MiB.").ConfigureAwait(false);
            return ExitCodes.Ok;
        }));
        return command;
    }
}
