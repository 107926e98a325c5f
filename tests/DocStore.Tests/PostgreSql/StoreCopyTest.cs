using DocStore.Tests.Infrastructure;

namespace DocStore.Tests.PostgreSql;

/// <summary>Moving a store between engines with <see cref="LocalStorageSystem.CopyToAsync"/>: every row, id and version kept.</summary>
public sealed class StoreCopyTest
{
    [Fact]
    public async Task A_sqlite_store_copied_to_postgresql_and_back_keeps_every_document_version_read_count_and_audit_row()
    {
        await using var sqlite = new StoreFixture();
        await using var pg = new PostgresDatabase();
        using var back = new TempDirectory();
        var source = sqlite.Store;
        var random = new Random(3);
        var docs = await source.CreateManyAsync(Enumerable.Range(0, 1_200).Select(_ => Docs.Random(random)).ToList());
        foreach (var doc in docs.Take(40))
        {
            await source.UpdateAsync(doc.Id, new DocumentUpdate { Content = doc.Content + " revised", Tags = ["copied"] });
        }

        await source.DeleteAsync(docs[50].Id, DeleteMode.Hard);
        await source.DeleteAsync(docs[51].Id);
        await source.ApplyAccessUpdatesAsync([new DocStore.Internal.AccessUpdate(docs[60].Id, 5)], DateTimeOffset.UtcNow.UtcTicks);

        var reports = new Reports();
        var toPg = await source.CopyToAsync(pg.Options(), reports);
        Assert.Equal(1_199, toPg.Documents);
        Assert.Equal(40 + 1, toPg.Versions); // 40 updates and a soft delete each replaced a version
        Assert.True(toPg.Verification.IsHealthy, toPg.Verification.ToString());

        // Progress after each batch: documents first (500 at a time), then the audit log.
        Assert.Equal([500, 1_000, 1_199], reports.Seen.Where(p => p.AuditEntries == 0).Select(p => p.Documents));
        Assert.Equal(toPg.AuditEntries, reports.Seen[^1].AuditEntries);
        Assert.Equal(1_199, reports.Seen[^1].Documents);

        using (var remote = pg.Open())
        {
            await AssertSameAsync(source, remote, docs.Select(d => d.Id));
            Assert.Equal(5, (await remote.GetAsync(docs[60].Id))!.AccessCount);
            Assert.Equal(40, (await remote.SearchAsync(new SearchQuery { Text = "revised" })).TotalCount);
            Assert.Equal(1, (await remote.SearchAsync(new SearchQuery { Text = docs[51].Title, Status = DocumentStatus.Deleted })).Items.Count(h => h.Document.Id == docs[51].Id));

            // New rows take ids past the copied ones.
            var next = await remote.CreateAsync(Docs.New(title: "after the copy"));
            Assert.True(next.Id > docs[^1].Id);
            Assert.True((await remote.GetAuditLogAsync(new AuditQuery { PageSize = 1 })).Items[0].Id > toPg.AuditEntries);

            var toSqlite = await remote.CopyToAsync(new DocStoreOptions { DatabasePath = back.File("back.db") });
            Assert.True(toSqlite.Verification.IsHealthy, toSqlite.Verification.ToString());
            Assert.Equal(toPg.AuditEntries + 1, toSqlite.AuditEntries);
            using var returned = new LocalStorageSystem(new DocStoreOptions { DatabasePath = back.File("back.db") });
            await AssertSameAsync(remote, returned, docs.Select(d => d.Id).Append(next.Id));
            Assert.Equal(40, (await returned.SearchAsync(new SearchQuery { Text = "revised" })).TotalCount);
        }
    }

    [Fact]
    public async Task A_destination_that_holds_documents_is_refused_and_left_as_it_was()
    {
        await using var sqlite = new StoreFixture();
        await using var pg = new PostgresDatabase();
        await sqlite.Store.CreateAsync(Docs.New(title: "mine"));
        using (var remote = pg.Open())
        {
            await remote.CreateAsync(Docs.New(title: "theirs"));
        }

        await Assert.ThrowsAsync<InvalidOperationException>(() => sqlite.Store.CopyToAsync(pg.Options()));
        Assert.Equal(1, pg.Count("documents"));
        Assert.Equal(1, pg.Count("documents", "title = 'theirs'"));
    }

    /// <summary>Progress reports as they come, on the copying thread (<see cref="Progress{T}"/> would post them elsewhere).</summary>
    private sealed class Reports : IProgress<CopyProgress>
    {
        public List<CopyProgress> Seen { get; } = [];

        public void Report(CopyProgress value) => Seen.Add(value);
    }

    private static object Row(AuditEntry a) => (a.Id, a.At, a.Operation, a.DocumentId, a.Version, a.Actor, a.Outcome, a.Error, a.Duration);

    private static async Task AssertSameAsync(LocalStorageSystem expected, LocalStorageSystem actual, IEnumerable<long> ids)
    {
        foreach (var id in ids)
        {
            Assert.Equal(await expected.GetAsync(id), await actual.GetAsync(id));
            Assert.Equal(await expected.GetVersionsAsync(id), await actual.GetVersionsAsync(id));
        }

        var audit = new AuditQuery { PageSize = 1000 };
        for (var page = 1; ; page++)
        {
            var left = await expected.GetAuditLogAsync(new AuditQuery { Page = page, PageSize = 1000 });
            var right = await actual.GetAuditLogAsync(new AuditQuery { Page = page, PageSize = 1000 });
            Assert.Equal(left.TotalCount, right.TotalCount);
            Assert.Equal(left.Items.Select(Row), right.Items.Select(Row));
            if (left.Items.Count < audit.PageSize)
            {
                break;
            }
        }

        var statistics = (await expected.GetStatisticsAsync(), await actual.GetStatisticsAsync());
        Assert.Equal(statistics.Item1.DocumentCount, statistics.Item2.DocumentCount);
        Assert.Equal(statistics.Item1.VersionCount, statistics.Item2.VersionCount);
        Assert.Equal(statistics.Item1.CountByType, statistics.Item2.CountByType);
    }
}
