using DocStore.Notes.Rendering;

namespace DocStore.Notes.Api;

/// <summary>A document's versions, one version, a line diff between two versions, and the audit log.</summary>
internal static class HistoryEndpoints
{
    public static void MapHistoryEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/documents/{id:long}/versions", async (long id, IDocumentStore store, CancellationToken ct) =>
        {
            var versions = await store.GetVersionsAsync(id, ct);
            return versions.Count == 0
                ? throw new DocumentNotFoundException(id)
                : Results.Ok(versions.Select(v => new { v.Version, v.Title, v.Status, v.CreatedAt, v.Actor, v.SizeBytes }));
        });
        app.MapGet("/api/documents/{id:long}/versions/{version:int}", async (long id, int version, IDocumentStore store, CancellationToken ct) =>
            Results.Ok(await store.GetVersionAsync(id, version, ct) ?? throw new DocumentNotFoundException(id, version)));
        app.MapGet("/api/documents/{id:long}/diff", async (long id, int from, int to, IDocumentStore store, CancellationToken ct) =>
        {
            var older = await store.GetVersionAsync(id, from, ct) ?? throw new DocumentNotFoundException(id, from);
            var newer = await store.GetVersionAsync(id, to, ct) ?? throw new DocumentNotFoundException(id, to);
            return Results.Ok(VersionDiff.Between(older, newer));
        });
        app.MapGet("/api/audit", async (long? documentId, int? page, int? pageSize, IDocumentStore store, CancellationToken ct) =>
        {
            var result = await store.GetAuditLogAsync(new AuditQuery { DocumentId = documentId, Page = page ?? 1, PageSize = pageSize ?? 50 }, ct);
            return Results.Ok(new { result.TotalCount, result.Page, result.PageSize, result.Items });
        });
    }
}
