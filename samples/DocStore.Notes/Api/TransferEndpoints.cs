using DocStore.Import;

namespace DocStore.Notes.Api;

/// <summary>
/// Import (uploaded files: Markdown, text, HTML or JSON lines; or a folder on the server) and JSON-lines
/// export. Imports skip documents already stored (by source path, else content hash), so running one twice
/// adds nothing, and report bad documents and bad lines instead of stopping.
/// </summary>
internal static class TransferEndpoints
{
    private const long MaxUploadBytes = 256L * 1024 * 1024;

    public static void MapTransferEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/export", async (HttpContext http, IDocumentStore store, CancellationToken ct) =>
        {
            http.Response.ContentType = "application/x-ndjson; charset=utf-8";
            http.Response.Headers.ContentDisposition = "attachment; filename=\"notes.jsonl\"";
            await using var writer = new StreamWriter(http.Response.Body, leaveOpen: true);
            await JsonLines.WriteAsync(store, writer, cancellationToken: ct);
        });

        app.MapPost("/api/import", async (HttpRequest request, string? type, IDocumentStore store, CancellationToken ct) =>
        {
            if (!request.HasFormContentType)
            {
                throw new ArgumentException("Upload the files as multipart/form-data.");
            }

            var form = await request.ReadFormAsync(ct);
            if (form.Files.Count == 0)
            {
                throw new ArgumentException("No file was uploaded.");
            }

            var report = new ImportReport();
            foreach (var file in form.Files)
            {
                if (file.Length > MaxUploadBytes)
                {
                    report.BadFiles.Add($"{file.FileName}: larger than {MaxUploadBytes / 1024 / 1024} MiB");
                    continue;
                }

                await using var stream = file.OpenReadStream();
                using var reader = new StreamReader(stream);
                var documents = Path.GetExtension(file.FileName).ToLowerInvariant() switch
                {
                    ".jsonl" or ".ndjson" => JsonLines.ReadAsync(reader, e => report.BadLines.Add($"{file.FileName} line {e.Line}: {e.Message}"), ct),
                    var extension => One(FolderImporter.FromText(await reader.ReadToEndAsync(ct), extension, "upload:" + file.FileName, Blank(type) ?? "note")),
                };
                report.Add(await store.ImportAsync(documents, new ImportOptions { SkipInvalid = true, SkipExisting = true }, ct));
            }

            return Results.Ok(report);
        }).DisableAntiforgery();

        app.MapPost("/api/import/folder", async (FolderImportRequest body, IDocumentStore store, CancellationToken ct) =>
        {
            if (!Directory.Exists(body.Path))
            {
                throw new ArgumentException($"The folder '{body.Path}' does not exist on the server.");
            }

            var report = new ImportReport();
            report.Add(await store.ImportAsync(FolderImporter.ReadAsync(body.Path, Blank(body.Type) ?? "imported", ct), new ImportOptions { SkipInvalid = true, SkipExisting = true }, ct));
            return Results.Ok(report);
        });
    }

    private static async IAsyncEnumerable<NewDocument> One(NewDocument? document)
    {
        await Task.CompletedTask;
        if (document is not null)
        {
            yield return document;
        }
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    /// <summary>The body of a folder import.</summary>
    internal sealed record FolderImportRequest(string Path, string? Type);

    /// <summary>What an import did, summed over its files.</summary>
    internal sealed class ImportReport
    {
        public long Created { get; private set; }

        public long Skipped { get; private set; }

        public long Rejected { get; private set; }

        public List<string> BadFiles { get; } = [];

        public List<string> BadLines { get; } = [];

        public List<string> Rejections { get; } = [];

        public void Add(ImportResult result)
        {
            Created += result.Created;
            Skipped += result.Skipped;
            Rejected += result.Rejected;
            Rejections.AddRange(result.Rejections.Take(100).Select(r => $"#{r.Index}: {string.Join("; ", r.Errors)}"));
        }
    }
}
