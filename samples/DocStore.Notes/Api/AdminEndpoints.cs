using DocStore.Fast;

namespace DocStore.Notes.Api;

/// <summary>Statistics and the fast-path switch (reads from the L1 cache and pooled prepared statements, or from EF Core).</summary>
internal static class AdminEndpoints
{
    public static void MapAdminEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/stats", async (IDocumentStore store, OptimizedStorageSystem fast, CancellationToken ct) =>
            Results.Ok(new { Store = await store.GetStatisticsAsync(ct), FastPath = fast.GetFastPathStatistics(), FastPathEnabled = fast.FastPathEnabled }));
        app.MapGet("/api/admin/fast-path", (OptimizedStorageSystem fast) => Results.Ok(new FastPathSetting(fast.FastPathEnabled)));
        app.MapPut("/api/admin/fast-path", (FastPathSetting setting, OptimizedStorageSystem fast) =>
        {
            fast.FastPathEnabled = setting.Enabled;
            return Results.Ok(new FastPathSetting(fast.FastPathEnabled));
        });
    }

    /// <summary>The fast path's switch.</summary>
    internal sealed record FastPathSetting(bool Enabled);
}
