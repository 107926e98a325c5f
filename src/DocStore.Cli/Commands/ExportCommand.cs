using System.CommandLine;
using System.Text.Json;
using DocStore.Import;

namespace DocStore.Cli.Commands;

/// <summary>
/// <c>docstore export FILE</c>: every live document as JSON lines (keyset paging: flat memory and cost per page),
/// which <c>import</c> reads back; optionally every document's versions and the audit log into files of their own.
/// FILE <c>-</c> writes to standard output.
/// </summary>
internal static class ExportCommand
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() } };

    public static Command Create(CliContext context)
    {
        var file = new Argument<string>("FILE") { Description = "Where to write the documents (JSON lines); - for standard output." };
        var versions = new Option<string?>("--versions") { Description = "Also write every version of every exported document to this file (JSON lines)." };
        var audit = new Option<string?>("--audit") { Description = "Also write the audit log to this file (JSON lines)." };
        var command = new Command("export", "Export documents as JSON lines.") { file, versions, audit };
        command.SetAction((parsed, ct) => CliApp.Guard(parsed, context, access => RunAsync(access, context, parsed.GetValue(file)!, parsed.GetValue(versions), parsed.GetValue(audit), ct)));
        return command;
    }

    private static async Task<int> RunAsync(StoreAccess access, CliContext context, string file, string? versionsFile, string? auditFile, CancellationToken ct)
    {
        await using var store = access.Open();
        var toStdout = file == "-";
        var writer = toStdout ? context.Out : new StreamWriter(file);
        long count;
        try
        {
            count = await JsonLines.WriteAsync(store, writer, cancellationToken: ct).ConfigureAwait(false);
        }
        finally
        {
            if (!toStdout)
            {
                await writer.DisposeAsync().ConfigureAwait(false);
            }
        }

        var summary = $"Exported {count:N0} documents";
        if (versionsFile is not null)
        {
            summary += $", {await WriteVersions(store, versionsFile, ct).ConfigureAwait(false):N0} versions";
        }

        if (auditFile is not null)
        {
            summary += $", {await WriteAudit(store, auditFile, ct).ConfigureAwait(false):N0} audit rows";
        }

        await (toStdout ? context.Error : context.Out).WriteLineAsync(summary + ".").ConfigureAwait(false);
        return ExitCodes.Ok;
    }

    private static async Task<long> WriteVersions(IDocumentStore store, string path, CancellationToken ct)
    {
        await using var writer = new StreamWriter(path);
        long written = 0;
        await foreach (var page in DocumentWalk.PagesAsync(store, cancellationToken: ct).ConfigureAwait(false))
        {
            foreach (var document in page)
            {
                foreach (var version in await store.GetVersionsAsync(document.Id, ct).ConfigureAwait(false))
                {
                    await writer.WriteLineAsync(JsonSerializer.Serialize(version, Json).AsMemory(), ct).ConfigureAwait(false);
                    written++;
                }
            }
        }

        return written;
    }

    private static async Task<long> WriteAudit(IDocumentStore store, string path, CancellationToken ct)
    {
        await using var writer = new StreamWriter(path);
        long written = 0;
        for (var pageNumber = 1; ; pageNumber++)
        {
            var page = await store.GetAuditLogAsync(new AuditQuery { Page = pageNumber, PageSize = 1_000 }, ct).ConfigureAwait(false);
            foreach (var entry in page.Items)
            {
                await writer.WriteLineAsync(JsonSerializer.Serialize(entry, Json).AsMemory(), ct).ConfigureAwait(false);
                written++;
            }

            if (page.Items.Count < 1_000)
            {
                return written;
            }
        }
    }
}
