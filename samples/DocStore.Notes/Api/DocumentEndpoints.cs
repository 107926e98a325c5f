using DocStore.Notes.Rendering;

namespace DocStore.Notes.Api;

/// <summary>Documents: create, read (JSON or rendered), update with an expected version, delete, restore, list and search.</summary>
internal static class DocumentEndpoints
{
    public static void MapDocumentEndpoints(this IEndpointRouteBuilder app)
    {
        var documents = app.MapGroup("/api/documents");
        documents.MapPost("/", async (NewDocument document, IDocumentStore store, CancellationToken ct) =>
        {
            var created = await store.CreateAsync(document, ct);
            return Results.Created($"/api/documents/{created.Id}", created);
        });
        documents.MapGet("/{id:long}", async (long id, IDocumentStore store, CancellationToken ct) =>
            await store.GetAsync(id, ct) is { } document ? Results.Ok(document) : throw new DocumentNotFoundException(id));
        documents.MapGet("/{id:long}/html", async (long id, IDocumentStore store, MarkdownRenderer renderer, CancellationToken ct) =>
        {
            var document = await store.GetAsync(id, ct) ?? throw new DocumentNotFoundException(id);
            var rendered = renderer.Render(document);
            return Results.Ok(new { document.Id, document.Version, rendered.Html, rendered.Notice });
        });
        documents.MapPut("/{id:long}", async (long id, DocumentUpdate update, IDocumentStore store, CancellationToken ct) =>
            Results.Ok(await store.UpdateAsync(id, update, ct)));
        documents.MapDelete("/{id:long}", async (long id, DeleteMode? mode, IDocumentStore store, CancellationToken ct) =>
            await store.DeleteAsync(id, mode ?? DeleteMode.Soft, ct) ? Results.NoContent() : throw new DocumentNotFoundException(id));
        documents.MapPost("/{id:long}/restore", async (long id, int? version, IDocumentStore store, CancellationToken ct) =>
        {
            // Without a version: the latest one, which undeletes a soft-deleted document as it was.
            var target = version ?? (await store.GetVersionsAsync(id, ct)).Select(v => v.Version).DefaultIfEmpty(0).Max();
            return target == 0 ? throw new DocumentNotFoundException(id) : Results.Ok(await store.RestoreVersionAsync(id, target, ct));
        });
        documents.MapGet("/", async (string? type, string? tag, DocumentStatus? status, DocumentOrder? order, int? page, int? pageSize, IDocumentStore store, CancellationToken ct) =>
            Results.Ok(Page(await store.ListAsync(
                new ListQuery
                {
                    Type = Blank(type),
                    Tags = Blank(tag) is { } t ? [t] : null,
                    Status = status,
                    OrderBy = order ?? DocumentOrder.UpdatedAt,
                    Page = page ?? 1,
                    PageSize = pageSize ?? 20,
                },
                ct))));

        app.MapGet("/api/search", async (string? q, string? type, string? tag, SearchMode? mode, int? page, int? pageSize, IDocumentStore store, CancellationToken ct) =>
        {
            if (string.IsNullOrWhiteSpace(q))
            {
                throw new ArgumentException("The query parameter 'q' is required.");
            }

            var result = await store.SearchAsync(
                new SearchQuery
                {
                    Text = q,
                    Type = Blank(type),
                    Tags = Blank(tag) is { } t ? [t] : null,
                    Mode = mode ?? SearchMode.Simple,
                    Page = page ?? 1,
                    PageSize = pageSize ?? 10,
                    HighlightStart = MarkStart,
                    HighlightEnd = MarkEnd,
                },
                ct);
            return Results.Ok(new
            {
                result.TotalCount,
                result.Page,
                result.PageSize,
                Items = result.Items.Select(h => new { h.Document.Id, h.Document.Title, h.Document.Type, h.Document.Tags, h.Document.Version, h.Document.UpdatedAt, Snippet = SnippetHtml(h.Snippet), h.Score }),
            });
        });
    }

    private static object Page(PagedResult<Document> result) => new
    {
        result.TotalCount,
        result.Page,
        result.PageSize,
        Items = result.Items.Select(d => new { d.Id, d.Title, d.Type, d.Status, d.Tags, d.Version, d.UpdatedAt, d.SizeBytes }),
    };

    // Highlight markers that cannot occur in text: the snippet is HTML-encoded whole, then the markers
    // become <mark> tags, so a document's own markup is shown as text and never runs in the page.
    private const string MarkStart = "\u0002";
    private const string MarkEnd = "\u0003";

    private static string SnippetHtml(string snippet) =>
        System.Net.WebUtility.HtmlEncode(snippet).Replace(MarkStart, "<mark>", StringComparison.Ordinal).Replace(MarkEnd, "</mark>", StringComparison.Ordinal);

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
