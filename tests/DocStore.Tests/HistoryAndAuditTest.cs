using DocStore.Tests.Infrastructure;

namespace DocStore.Tests;

public sealed class HistoryAndAuditTest
{
    [Fact]
    public async Task Every_version_is_a_full_snapshot_and_restore_writes_a_new_version()
    {
        await using var f = new StoreFixture();
        var v1 = await f.Store.CreateAsync(Docs.New(title: "first", content: "one", tags: ["a"], metadata: "{\"n\":1}"));
        var v2 = await f.Store.UpdateAsync(v1.Id, new DocumentUpdate { Title = "second", Content = "two", Tags = ["b"], Metadata = "{\"n\":2}" });
        var v3 = await f.Store.UpdateAsync(v1.Id, new DocumentUpdate { Status = DocumentStatus.Archived });

        var versions = await f.Store.GetVersionsAsync(v1.Id);
        Assert.Equal([1, 2, 3], versions.Select(v => v.Version));
        Assert.Equal(["first", "second", "second"], versions.Select(v => v.Title));
        Assert.Equal("one", versions[0].Content);
        Assert.Equal(["a"], versions[0].Tags);
        Assert.Equal("{\"n\":1}", versions[0].Metadata);
        Assert.Equal(DocumentStatus.Archived, versions[2].Status);
        Assert.All(versions, v => Assert.Equal("tester", v.Actor));
        Assert.Equal(v2.UpdatedAt, versions[1].CreatedAt);

        var restored = await f.Store.RestoreVersionAsync(v1.Id, 1);
        Assert.Equal(4, restored.Version);
        Assert.Equal(("first", "one", "{\"n\":1}", DocumentStatus.Active), (restored.Title, restored.Content, restored.Metadata, restored.Status));
        Assert.Equal(["a"], restored.Tags);
        Assert.Equal(v1.ContentHash, restored.ContentHash);
        Assert.Equal(restored, await f.Store.GetAsync(v1.Id));
        Assert.Equal(1, (await f.Store.SearchAsync(new SearchQuery { Text = "one" })).TotalCount);
        Assert.Equal(0, (await f.Store.SearchAsync(new SearchQuery { Text = "two" })).TotalCount);
        Assert.Equal(v3.Version, (await f.Store.GetVersionAsync(v1.Id, 3))!.Version);
        f.FtsIntegrityCheck();
        Assert.Null(await f.Store.GetVersionAsync(v1.Id, 99));
    }

    [Fact]
    public async Task Restore_undeletes_a_soft_deleted_document()
    {
        await using var f = new StoreFixture();
        var doc = await f.Store.CreateAsync(Docs.New());
        await f.Store.DeleteAsync(doc.Id);
        var back = await f.Store.RestoreVersionAsync(doc.Id, 1);
        Assert.Equal(DocumentStatus.Active, back.Status);
        Assert.Equal(3, back.Version);
        Assert.Equal(back, await f.Store.GetAsync(doc.Id));
    }

    [Fact]
    public async Task Audit_records_success_and_failure_with_actor_version_and_duration()
    {
        var actor = "alice";
        await using var f = new StoreFixture(path => new DocStoreOptions { DatabasePath = path, ActorProvider = () => actor });
        var doc = await f.Store.CreateAsync(Docs.New());
        actor = "bob";
        await f.Store.UpdateAsync(doc.Id, new DocumentUpdate { Title = "changed" });
        await Assert.ThrowsAsync<VersionConflictException>(() => f.Store.UpdateAsync(doc.Id, new DocumentUpdate { Title = "again", ExpectedVersion = 1 }));
        await Assert.ThrowsAsync<DocumentValidationException>(() => f.Store.UpdateAsync(doc.Id, new DocumentUpdate { Title = "" }));

        var log = (await f.Store.GetAuditLogAsync(new AuditQuery { DocumentId = doc.Id })).Items;
        Assert.Equal(
            [(AuditOperation.Update, AuditOutcome.Rejected), (AuditOperation.Update, AuditOutcome.Conflict), (AuditOperation.Update, AuditOutcome.Success), (AuditOperation.Create, AuditOutcome.Success)],
            log.Select(a => (a.Operation, a.Outcome)));
        Assert.Equal(["bob", "bob", "bob", "alice"], log.Select(a => a.Actor));
        Assert.Equal([null, null, 2, 1], log.Select(a => a.Version));
        Assert.Null(log[2].Error);
        Assert.Contains("version 2", log[1].Error, StringComparison.Ordinal);
        Assert.All(log, a => Assert.True(a.Duration >= TimeSpan.Zero));
        Assert.All(log, a => Assert.True(a.At > DateTimeOffset.UtcNow.AddMinutes(-5)));

        var paged = await f.Store.GetAuditLogAsync(new AuditQuery { Page = 2, PageSize = 3 });
        Assert.Equal(4, paged.TotalCount);
        Assert.Single(paged.Items);
    }

    [Fact]
    public async Task Expected_version_mismatch_throws_conflict_and_changes_nothing()
    {
        await using var f = new StoreFixture();
        var doc = await f.Store.CreateAsync(Docs.New());
        var v2 = await f.Store.UpdateAsync(doc.Id, new DocumentUpdate { Content = "v2", ExpectedVersion = 1 });
        var e = await Assert.ThrowsAsync<VersionConflictException>(() => f.Store.UpdateAsync(doc.Id, new DocumentUpdate { Content = "stale", ExpectedVersion = 1 }));
        Assert.Equal((doc.Id, 1, (int?)2), (e.DocumentId, e.ExpectedVersion, e.ActualVersion));
        Assert.Equal(v2, await f.Store.GetAsync(doc.Id));
    }

    [Fact]
    public async Task Change_notifications_follow_commits_in_order_and_a_throwing_handler_does_not_fail_the_write()
    {
        await using var f = new StoreFixture();
        var seen = new List<DocumentChange>();
        f.Store.DocumentChanged += (_, _) => throw new InvalidOperationException("bad subscriber");
        f.Store.DocumentChanged += (sender, e) =>
        {
            Assert.Same(f.Store, sender);
            seen.AddRange(e.Changes);
        };

        var batch = await f.Store.CreateManyAsync([Docs.New(title: "a"), Docs.New(title: "b")]);
        var doc = batch[0];
        await f.Store.UpdateAsync(doc.Id, new DocumentUpdate { Title = "a2" });
        await f.Store.UpdateAsync(doc.Id, new DocumentUpdate { Title = "a2" });
        await f.Store.DeleteAsync(doc.Id);
        await f.Store.RestoreVersionAsync(doc.Id, 1);
        await f.Store.DeleteAsync(doc.Id, DeleteMode.Hard);
        await f.Store.DeleteAsync(doc.Id, DeleteMode.Hard);

        Assert.Equal(
            [
                new DocumentChange(doc.Id, 1, DocumentChangeKind.Created),
                new DocumentChange(batch[1].Id, 1, DocumentChangeKind.Created),
                new DocumentChange(doc.Id, 2, DocumentChangeKind.Updated),
                new DocumentChange(doc.Id, 3, DocumentChangeKind.Deleted),
                new DocumentChange(doc.Id, 4, DocumentChangeKind.Updated),
                new DocumentChange(doc.Id, 4, DocumentChangeKind.Purged),
            ],
            seen);
    }

    [Fact]
    public async Task Statistics_count_documents_by_status_and_type()
    {
        await using var f = new StoreFixture();
        var docs = await f.Store.CreateManyAsync(
        [
            Docs.New(type: "api", tags: ["x", "y"]), Docs.New(type: "api", tags: ["y"]), Docs.New(type: "guide", content: "12345"),
        ]);
        await f.Store.DeleteAsync(docs[0].Id);
        var stats = await f.Store.GetStatisticsAsync();
        Assert.Equal(2, stats.DocumentCount);
        Assert.Equal(1, stats.CountByStatus[DocumentStatus.Deleted]);
        Assert.Equal(2, stats.CountByStatus[DocumentStatus.Active]);
        Assert.Equal(new Dictionary<string, long> { ["api"] = 1, ["guide"] = 1 }, stats.CountByType);
        Assert.Equal(docs[1].SizeBytes + 5, stats.TotalContentBytes);
        Assert.Equal(4, stats.VersionCount);
        Assert.Equal(4, stats.AuditEntryCount);
        Assert.Equal(2, stats.DistinctTagCount);
        Assert.True(stats.DatabaseBytes > 0);
    }

    [Fact]
    public async Task Optimize_gives_the_pages_it_frees_back_to_the_file_system()
    {
        await using var f = new StoreFixture(path => new DocStoreOptions { DatabasePath = path, Sqlite = new SqliteOptions { FullTextMergeInterval = TimeSpan.Zero } });
        Assert.Equal(2L, f.Scalar("PRAGMA auto_vacuum")); // incremental, on every file this version creates

        // One full-text segment per write (nothing merges them here), then a hard delete frees rows too.
        var docs = new List<Document>();
        for (var i = 0; i < 150; i++)
        {
            docs.Add(await f.Store.CreateAsync(Docs.New(title: "page " + i, content: string.Join(' ', Enumerable.Range(0, 200).Select(w => $"word{(w * 7) + i}")))));
        }

        await f.Store.DeleteAsync(docs[0].Id, DeleteMode.Hard);
        await f.Store.CheckpointAsync();
        var before = new FileInfo(f.Path).Length;

        await f.Store.OptimizeAsync();
        await f.Store.CheckpointAsync();

        Assert.Equal(0L, f.Scalar("PRAGMA freelist_count"));
        var after = new FileInfo(f.Path).Length;
        Assert.True(after < before, $"the file stayed at {after} bytes (was {before}) after the optimize merged 150 segments into one");
        Assert.Equal(docs[1], await f.Store.GetAsync(docs[1].Id));
        Assert.Equal(1, (await f.Store.SearchAsync(new SearchQuery { Text = "word1542" })).TotalCount);
        Assert.Equal("ok", f.IntegrityCheck());
        f.FtsIntegrityCheck();
    }

    [Fact]
    public async Task Optimize_vacuum_and_checkpoint_keep_the_data()
    {
        await using var f = new StoreFixture();
        var docs = await f.Store.CreateManyAsync(Enumerable.Range(0, 50).Select(i => Docs.New(title: "t" + i, content: "word" + i)));
        await f.Store.DeleteAsync(docs[0].Id, DeleteMode.Hard);
        await f.Store.OptimizeAsync(vacuum: true);
        await f.Store.CheckpointAsync();
        Assert.Equal(0, new FileInfo(f.Path + "-wal").Length);
        Assert.Equal(docs[1], await f.Store.GetAsync(docs[1].Id));
        Assert.Equal(1, (await f.Store.SearchAsync(new SearchQuery { Text = "word7" })).TotalCount);
        Assert.Equal("ok", f.IntegrityCheck());
    }
}
