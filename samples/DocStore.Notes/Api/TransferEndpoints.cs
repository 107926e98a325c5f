using DocStore.Import;
using DocStore.Notes.Security;

namespace DocStore.Notes.Api;

/// <summary>
/// Import (uploaded files: Markdown, text, HTML or JSON lines; or a folder on the server) and JSON-lines
/// export. An uploaded file's identity is its name and its content's hash, a server file's its canonical full
/// path: uploading the same file twice adds nothing, two different files of the same name are two notes, and
/// bad documents and bad lines are reported by name instead of stopping the import.
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
                    var extension => One(await UploadedAsync(reader, file.FileName, extension, Blank(type) ?? "note", ct)),
                };
                report.Add(await store.ImportAsync(documents, new ImportOptions { SkipInvalid = true, MatchExisting = true }, ct));
            }

            return Results.Ok(report);
        });

        app.MapPost("/api/import/folder", async (FolderImportRequest body, ImportRoots roots, IDocumentStore store, CancellationToken ct) =>
        {
            var folder = roots.Check(body.Path);
            if (!Directory.Exists(folder))
            {
                throw new ArgumentException($"The folder '{body.Path}' does not exist on the server.");
            }

            var report = new ImportReport();
            var documents = InsideRoots(FolderImporter.ReadAsync(folder, Blank(body.Type) ?? "imported", ct), roots, report);
            report.Add(await store.ImportAsync(documents, new ImportOptions { SkipInvalid = true, MatchExisting = true }, ct));
            return Results.Ok(report);
        });
    }

    /// <summary>The documents whose files lie inside the import roots; a link that leads out is reported, not read.</summary>
    private static async IAsyncEnumerable<NewDocument> InsideRoots(IAsyncEnumerable<NewDocument> documents, ImportRoots roots, ImportReport report)
    {
        await foreach (var document in documents)
        {
            if (document.SourcePath is { } path && roots.Contains(path))
            {
                yield return document;
            }
            else
            {
                report.BadFiles.Add($"{document.SourcePath}: outside the import roots, not imported");
            }
        }
    }

    /// <summary>An uploaded text file as a document whose source path is its name and content hash, its identity.</summary>
    private static async Task<NewDocument?> UploadedAsync(StreamReader reader, string name, string extension, string type, CancellationToken ct)
    {
        var text = await reader.ReadToEndAsync(ct);
        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)));
        return FolderImporter.FromText(text, extension, $"upload:{name}#sha256:{hash}", type);
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

        public long Updated { get; private set; }

        public long Unchanged { get; private set; }

        public long Rejected { get; private set; }

        public List<string> BadFiles { get; } = [];

        public List<string> BadLines { get; } = [];

        public List<string> Rejections { get; } = [];

        public void Add(ImportResult result)
        {
            Created += result.Created;
            Updated += result.Updated;
            Unchanged += result.Unchanged;
            Rejected += result.Rejected;
            Rejections.AddRange(result.Rejections.Take(100).Select(r => $"{r.SourcePath ?? $"#{r.Index}"}: {string.Join("; ", r.Errors)}"));
        }
    }
}
