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
    public async Task A_destination_that_holds_other_documents_is_refused_and_left_as_it_was()
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

    [Fact]
    public async Task An_interrupted_copy_resumes_after_the_rows_it_wrote_and_takes_in_what_the_source_gained_meanwhile()
    {
        await using var sqlite = new StoreFixture();
        await using var pg = new PostgresDatabase();
        var source = sqlite.Store;
        var random = new Random(5);
        var docs = await source.CreateManyAsync(Enumerable.Range(0, 1_300).Select(_ => Docs.Random(random)).ToList());
        foreach (var doc in docs.Take(10))
        {
            await source.UpdateAsync(doc.Id, new DocumentUpdate { Title = doc.Title + " (2)" });
        }

        // Interrupted after its first batch: the destination keeps what it committed, nothing half-written.
        using var stop = new CancellationTokenSource();
        var reports = new Reports(p => { if (p.Documents >= 500) { stop.Cancel(); } });
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => source.CopyToAsync(pg.Options(), reports, stop.Token));
        Assert.Equal(500, pg.Count("documents"));
        Assert.Equal(0, pg.Count("audit_log"));

        // Meanwhile the source is read (counts move) and gains documents and an edit past the copied prefix.
        await source.ApplyAccessUpdatesAsync([new DocStore.Internal.AccessUpdate(docs[3].Id, 7)], DateTimeOffset.UtcNow.UtcTicks);
        var later = await source.CreateManyAsync([Docs.New(title: "written during the pause"), Docs.New(title: "and another")]);
        await source.UpdateAsync(docs[900].Id, new DocumentUpdate { Content = "edited during the pause" });

        var resumed = await source.CopyToAsync(pg.Options());
        Assert.True(resumed.Resumed);
        Assert.Equal(500, resumed.ResumedDocuments);
        Assert.Equal(0, resumed.ResumedAuditEntries);
        Assert.Equal(1_302, resumed.Documents);
        Assert.Equal(11, resumed.Versions);
        Assert.True(resumed.Verification.IsHealthy, resumed.Verification.ToString());
        using (var remote = pg.Open())
        {
            await AssertSameAsync(source, remote, docs.Select(d => d.Id).Concat(later.Select(d => d.Id)));
            Assert.Equal(7, (await remote.GetAsync(docs[3].Id))!.AccessCount);
        }

        // Run again on a finished copy: nothing left to copy, everything checked.
        var again = await source.CopyToAsync(pg.Options());
        Assert.Equal((1_302L, 1_302L, resumed.AuditEntries), (again.Documents, again.ResumedDocuments, again.ResumedAuditEntries));
    }

    [Fact]
    public async Task A_copied_document_changed_in_the_source_since_the_interruption_is_refused_with_its_id_and_nothing_written()
    {
        await using var sqlite = new StoreFixture();
        await using var pg = new PostgresDatabase();
        var source = sqlite.Store;
        var docs = await source.CreateManyAsync(Enumerable.Range(0, 700).Select(i => Docs.New(title: $"doc {i}")).ToList());
        using var stop = new CancellationTokenSource();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => source.CopyToAsync(pg.Options(), new Reports(_ => stop.Cancel()), stop.Token));
        Assert.Equal(500, pg.Count("documents"));

        await source.UpdateAsync(docs[123].Id, new DocumentUpdate { Content = "changed after it was copied" });
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => source.CopyToAsync(pg.Options()));
        Assert.Contains($"document {docs[123].Id}", refused.Message, StringComparison.Ordinal);
        Assert.Equal(500, pg.Count("documents"));
        Assert.Equal(0, pg.Count("document_versions"));
    }

    /// <summary>Progress reports as they come, on the copying thread (<see cref="Progress{T}"/> would post them elsewhere).</summary>
    private sealed class Reports(Action<CopyProgress>? then = null) : IProgress<CopyProgress>
    {
        public List<CopyProgress> Seen { get; } = [];

        public void Report(CopyProgress value)
        {
            Seen.Add(value);
            then?.Invoke(value);
        }
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
