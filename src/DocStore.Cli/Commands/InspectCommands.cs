using System.CommandLine;
using System.Globalization;
using System.Text.Json;

namespace DocStore.Cli.Commands;

/// <summary><c>stats</c>, <c>get</c> and <c>search</c>: look inside a store.</summary>
internal static class InspectCommands
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true, Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() } };

    public static Command Stats(CliContext context)
    {
        var command = new Command("stats", "Counts, sizes, documents by type and status.") { CliApp.Json };
        command.SetAction((parsed, ct) => CliApp.Guard(parsed, context, async access =>
        {
            await using var store = access.Open();
            var s = await store.GetStatisticsAsync(ct).ConfigureAwait(false);
            if (parsed.GetValue(CliApp.Json))
            {
                await context.Out.WriteLineAsync(JsonSerializer.Serialize(s, Json)).ConfigureAwait(false);
                return ExitCodes.Ok;
            }

            await context.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"{access.Name}\n  documents  {s.DocumentCount:N0}\n  versions   {s.VersionCount:N0}\n  audit rows {s.AuditEntryCount:N0}\n  tags       {s.DistinctTagCount:N0}\n  text       {s.TotalContentBytes / 1048576.0:N1} MiB\n  file       {s.DatabaseBytes / 1048576.0:N1} MiB")).ConfigureAwait(false);
            foreach (var (type, count) in s.CountByType.OrderByDescending(p => p.Value))
            {
                await context.Out.WriteLineAsync($"  type {type}: {count:N0}").ConfigureAwait(false);
            }

            foreach (var (status, count) in s.CountByStatus.OrderBy(p => p.Key))
            {
                await context.Out.WriteLineAsync($"  status {status}: {count:N0}").ConfigureAwait(false);
            }

            return ExitCodes.Ok;
        }));
        return command;
    }

    public static Command Get(CliContext context)
    {
        var id = new Argument<long>("ID") { Description = "The document's id." };
        var command = new Command("get", "Print one document (exit code 4 when there is none).") { id, CliApp.Json };
        command.SetAction((parsed, ct) => CliApp.Guard(parsed, context, async access =>
        {
            await using var store = access.Open();
            var document = await store.GetAsync(parsed.GetValue(id), ct).ConfigureAwait(false) ?? throw new DocumentNotFoundException(parsed.GetValue(id));
            await context.Out.WriteLineAsync(parsed.GetValue(CliApp.Json)
                ? JsonSerializer.Serialize(document, Json)
                : $"# {document.Title}\n{document.Type} · {document.Status} · version {document.Version} · tags: {string.Join(", ", document.Tags)} · updated {document.UpdatedAt:u}\n\n{document.Content}").ConfigureAwait(false);
            return ExitCodes.Ok;
        }));
        return command;
    }

    public static Command Search(CliContext context)
    {
        var text = new Argument<string>("TEXT") { Description = "What to look for (words; \"term*\" for a prefix)." };
        var limit = new Option<int>("--limit") { Description = "How many hits to show (1-1000).", DefaultValueFactory = _ => 10 };
        var command = new Command("search", "Full-text search, best hits first, with snippets.") { text, limit, CliApp.Json };
        command.SetAction((parsed, ct) => CliApp.Guard(parsed, context, async access =>
        {
            await using var store = access.Open();
            var hits = await store.SearchAsync(new SearchQuery { Text = parsed.GetValue(text)!, PageSize = parsed.GetValue(limit), HighlightStart = "[", HighlightEnd = "]" }, ct).ConfigureAwait(false);
            if (parsed.GetValue(CliApp.Json))
            {
                await context.Out.WriteLineAsync(JsonSerializer.Serialize(hits.Items.Select(h => new { h.Document.Id, h.Document.Title, h.Document.Type, h.Snippet, h.Score }), Json)).ConfigureAwait(false);
                return ExitCodes.Ok;
            }

            await context.Out.WriteLineAsync($"{hits.TotalCount:N0} documents match.").ConfigureAwait(false);
            foreach (var hit in hits.Items)
            {
                await context.Out.WriteLineAsync($"{hit.Document.Id,8}  {hit.Document.Title}\n          {hit.Snippet.ReplaceLineEndings(" ")}").ConfigureAwait(false);
            }

            return ExitCodes.Ok;
        }));
        return command;
    }
}
