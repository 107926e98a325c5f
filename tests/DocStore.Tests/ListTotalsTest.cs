using DocStore.Fast;
using DocStore.Tests.Infrastructure;

namespace DocStore.Tests;

/// <summary>
/// A listing's total filtered by type and status alone is read from the kept counts (document_counts, kept by triggers
/// on every write); it must stay exactly the number of matching documents through every kind of write, on both paths
/// and both engines.
/// </summary>
public sealed class ListTotalsTest
{
    private static readonly string?[] Types = [null, "guide", "note", "faq", "missing"];
    private static readonly DocumentStatus?[] Statuses = [null, DocumentStatus.Draft, DocumentStatus.Active, DocumentStatus.Archived, DocumentStatus.Deleted];

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    public async Task Totals_by_type_and_status_match_the_documents_through_every_kind_of_write(string engine)
    {
        await using var f = EngineStore.Open(engine);
        var created = await f.Store.CreateManyAsync(Enumerable.Range(0, 60).Select(i => new NewDocument
        {
            Title = "doc " + i,
            Type = (i % 3) switch { 0 => "guide", 1 => "note", _ => "faq" },
            Content = "text " + i,
            Status = i % 4 == 0 ? DocumentStatus.Draft : DocumentStatus.Active,
        }));
        await AssertTotalsAsync(f, "after creating");

        var ids = created.Select(d => d.Id).ToArray();
        await f.Store.UpdateAsync(ids[0], new DocumentUpdate { Type = "note" });
        await f.Store.UpdateAsync(ids[1], new DocumentUpdate { Status = DocumentStatus.Archived });
        await f.Store.UpdateAsync(ids[2], new DocumentUpdate { Type = "guide", Status = DocumentStatus.Draft });
        await f.Store.UpdateAsync(ids[3], new DocumentUpdate { Title = "renamed, type and status kept" });
        await AssertTotalsAsync(f, "after updates");

        await f.Store.DeleteAsync(ids[4]);
        await f.Store.DeleteAsync(ids[5]);
        await f.Store.DeleteAsync(ids[6], DeleteMode.Hard);
        await f.Store.DeleteAsync(ids[5], DeleteMode.Hard);
        await AssertTotalsAsync(f, "after deletes");

        // Restoring the version before the soft delete brings the document back with its old status.
        var versions = await f.Store.GetVersionsAsync(ids[4]);
        await f.Store.RestoreVersionAsync(ids[4], versions.Where(v => v.Status != DocumentStatus.Deleted).Max(v => v.Version));
        await AssertTotalsAsync(f, "after a restore");

        // A write that fails changes no count: a stale expected version is refused, and its group rolled back.
        await Assert.ThrowsAsync<VersionConflictException>(() => f.Store.UpdateAsync(ids[7], new DocumentUpdate { Type = "faq", ExpectedVersion = 99 }));
        await AssertTotalsAsync(f, "after a refused write");

        var report = await f.Store.VerifyAsync();
        Assert.True(report.IsHealthy, report.ToString());
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    public async Task Verify_reports_kept_counts_that_differ_from_the_documents(string engine)
    {
        await using var f = EngineStore.Open(engine);
        await f.Store.CreateManyAsync([Docs.New(type: "guide"), Docs.New(type: "note")]);
        Assert.True((await f.Store.VerifyAsync()).IsHealthy);

        f.Scalar("UPDATE document_counts SET documents = documents + 1 WHERE type = 'guide'");
        // The fast path's total is read from the kept counts (which now say 2), the EF Core path's counted (1).
        Assert.Equal(2, (await f.Store.ListAsync(new ListQuery { Type = "guide" })).TotalCount);
        Assert.Equal(1, (await f.Store.Inner.ListAsync(new ListQuery { Type = "guide" })).TotalCount);
        var report = await f.Store.VerifyAsync();
        var check = Assert.Single(report.Checks, c => c.Name == "counts.match");
        Assert.False(check.Passed);
        Assert.Equal(1, check.Problems);
    }

    /// <summary>Every type and status combination: the fast path's total (kept counts), the EF Core path's (rows counted) and the rows themselves agree.</summary>
    internal static async Task AssertTotalsAsync(EngineStore f, string when)
    {
        foreach (var type in Types)
        {
            foreach (var status in Statuses)
            {
                var query = new ListQuery { Type = type, Status = status, PageSize = 100 };
                var fast = await f.Store.ListAsync(query);
                var ef = await f.Store.Inner.ListAsync(query);
                var where = (type is null ? "1 = 1" : $"type = '{type}'") + (status is { } s ? $" AND status = {(int)s}" : " AND status <> 3");
                var rows = f.Scalar($"SELECT count(*) FROM documents WHERE {where}");
                Assert.True(rows == fast.TotalCount && rows == ef.TotalCount, $"{when}, type {type ?? "any"}, status {status?.ToString() ?? "not deleted"}: rows {rows}, fast {fast.TotalCount}, EF {ef.TotalCount}");
                Assert.Equal(Math.Min(rows, 100), fast.Items.Count);
            }
        }
    }

    /// <summary>A fast store on a temporary SQLite file or a new PostgreSQL database, with SQL run beside it on the same data.</summary>
    internal sealed class EngineStore : IAsyncDisposable
    {
        private readonly OptimizedFixture? _sqlite;
        private readonly PostgresDatabase? _postgres;

        private EngineStore(OptimizedFixture? sqlite, PostgresDatabase? postgres, OptimizedStorageSystem store)
        {
            _sqlite = sqlite;
            _postgres = postgres;
            Store = store;
        }

        public OptimizedStorageSystem Store { get; }

        public static EngineStore Open(string engine)
        {
            if (engine == "sqlite")
            {
                var fixture = new OptimizedFixture();
                return new EngineStore(fixture, null, fixture.Store);
            }

            var db = new PostgresDatabase();
            var store = new OptimizedStorageSystem(new OptimizedStorageOptions { Engine = DocStoreEngine.PostgreSql, ConnectionString = db.ConnectionString, ActorProvider = () => "tester" });
            return new EngineStore(null, db, store);
        }

        public long Scalar(string sql) =>
            _postgres?.Scalar(sql) ?? Convert.ToInt64(SqliteProbe.Scalar(_sqlite!.Path, sql) ?? 0L, System.Globalization.CultureInfo.InvariantCulture);

        public async ValueTask DisposeAsync()
        {
            if (_sqlite is not null)
            {
                await _sqlite.DisposeAsync();
                return;
            }

            await Store.DisposeAsync();
            await _postgres!.DisposeAsync();
        }
    }
}
