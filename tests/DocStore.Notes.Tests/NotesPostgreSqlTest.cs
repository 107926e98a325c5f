using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DocStore.Tests.Infrastructure;

namespace DocStore.Notes.Tests;

/// <summary>The Notes app on the PostgreSQL engine: two app instances behind one database see each other's notes.</summary>
public sealed class NotesPostgreSqlTest
{
    [Fact]
    public async Task Two_app_instances_on_one_database_serve_each_others_writes_within_the_staleness_bound_and_refuse_stale_versions()
    {
        await using var db = new PostgresDatabase();
        var settings = new Dictionary<string, string?> { ["DocStore:Engine"] = "PostgreSql", ["DocStore:ConnectionString"] = db.ConnectionString };
        await using var first = new NotesAppFactory(settings);
        await using var second = new NotesAppFactory(settings);
        var a = first.CreateClient();
        var b = second.CreateClient();

        var created = await a.PostAsJsonAsync("/api/documents", new { title = "Shared", type = "note", content = "written on instance one" }, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = JsonDocument.Parse(await created.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement.GetProperty("id").GetInt64();

        var read = await b.GetAsync($"/api/documents/{id}", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Contains("written on instance one", await read.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        Assert.Contains("Shared", await b.GetStringAsync("/api/search?q=instance", TestContext.Current.CancellationToken), StringComparison.Ordinal);
        Assert.False(File.Exists(first.DatabasePath));

        // An edit through one instance makes the version the other was shown stale: refused through either.
        Assert.Equal(HttpStatusCode.OK, (await a.PutAsJsonAsync($"/api/documents/{id}", new { content = "edited on one", expectedVersion = 1 }, TestContext.Current.CancellationToken)).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await b.PutAsJsonAsync($"/api/documents/{id}", new { content = "stale edit on two", expectedVersion = 1 }, TestContext.Current.CancellationToken)).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await a.PutAsJsonAsync($"/api/documents/{id}", new { content = "stale edit on one", expectedVersion = 1 }, TestContext.Current.CancellationToken)).StatusCode);
        Assert.Contains("edited on one", await b.GetStringAsync($"/api/documents/{id}", TestContext.Current.CancellationToken), StringComparison.Ordinal);

        // A write through one instance reaches the other's cache within MaxStaleness (1 s by default).
        Assert.Equal(HttpStatusCode.OK, (await a.PutAsJsonAsync($"/api/documents/{id}", new { content = "second edit on one" }, TestContext.Current.CancellationToken)).StatusCode);
        await Task.Delay(TimeSpan.FromSeconds(1), TestContext.Current.CancellationToken);
        Assert.Contains("second edit on one", await b.GetStringAsync($"/api/documents/{id}", TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }
}
