using DocStore.Fast;
using DocStore.Tests.Infrastructure;

namespace DocStore.Tests;

/// <summary>Online backup gives a consistent store while writes go on; verify reports each kind of damage it is shown.</summary>
public sealed class BackupAndVerifyTest
{
    [Fact]
    public async Task Verify_and_statistics_count_versions_the_same_way()
    {
        await using var f = new StoreFixture();
        var created = await f.Store.CreateManyAsync(Enumerable.Range(0, 5).Select(i => Docs.New(title: "doc " + i)));
        await f.Store.UpdateAsync(created[0].Id, new DocumentUpdate { Content = "changed once" });
        await f.Store.UpdateAsync(created[0].Id, new DocumentUpdate { Content = "changed twice" });
        var report = await f.Store.VerifyAsync();
        var statistics = await f.Store.GetStatisticsAsync();
        Assert.Equal(7, statistics.VersionCount);
        Assert.Equal(statistics.VersionCount, report.Versions);
    }

    [Fact]
    public async Task A_backup_of_a_quiet_store_holds_every_document_version_and_audit_row()
    {
        await using var f = new OptimizedFixture();
        var docs = await ListTest.SeedAsync(f.Store, 200, seed: 3);
        var backup = Path.Combine(Path.GetDirectoryName(f.Path)!, "backup.db");
        await f.Store.BackupAsync(backup);

        await using var copy = new LocalStorageSystem(new DocStoreOptions { DatabasePath = backup });
        Assert.True((await copy.VerifyAsync()).IsHealthy);
        var source = await f.Store.VerifyAsync();
        var copied = await copy.VerifyAsync();
        Assert.Equal((source.Documents, source.Versions, source.TagRows, source.AuditEntries), (copied.Documents, copied.Versions, copied.TagRows, copied.AuditEntries));
        foreach (var doc in docs.Take(40))
        {
            Assert.Equal(await f.Ef.GetAsync(doc.Id), await copy.GetAsync(doc.Id));
            Assert.Equal(await f.Ef.GetVersionsAsync(doc.Id), await copy.GetVersionsAsync(doc.Id));
        }

        Assert.Equal("wal", SqliteProbe.Scalar(backup, "PRAGMA journal_mode"));
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(f.Path)!, "*.partial-*"));
    }

    [Fact]
    public async Task A_backup_taken_while_writers_run_is_one_consistent_snapshot()
    {
        await using var f = new OptimizedFixture(path => new OptimizedStorageOptions { DatabasePath = path, EnableAccessTracking = false });
        await f.Store.CreateManyAsync(Enumerable.Range(0, 100).Select(i => Docs.New(title: "b" + i)));
        using var stop = new CancellationTokenSource();
        var writes = 0;
        var writers = Enumerable.Range(0, 2).Select(w => Task.Run(async () =>
        {
            var random = new Random(w);
            while (!stop.IsCancellationRequested)
            {
                var created = await f.Store.CreateManyAsync(Enumerable.Range(0, 3).Select(i => Docs.New(content: "during " + random.Next())));
                await f.Store.UpdateAsync(created[0].Id, new DocumentUpdate { Content = "updated" });
                await f.Store.DeleteAsync(created[1].Id, DeleteMode.Hard);
                Interlocked.Increment(ref writes);
            }
        })).ToArray();

        var folder = Path.GetDirectoryName(f.Path)!;
        for (var i = 0; i < 5; i++)
        {
            while (Volatile.Read(ref writes) < (i + 1) * 5)
            {
                await Task.Delay(5);
            }

            var backup = Path.Combine(folder, $"backup{i}.db");
            await f.Store.BackupAsync(backup);
            await using var copy = new LocalStorageSystem(new DocStoreOptions { DatabasePath = backup });
            var report = await copy.VerifyAsync();
            Assert.True(report.IsHealthy, report.ToString());
            Assert.True(report.Documents >= 100);
        }

        await stop.CancelAsync();
        await Task.WhenAll(writers);
    }

    [Fact]
    public async Task A_backup_never_overwrites_and_leaves_nothing_behind_when_it_fails()
    {
        await using var f = new OptimizedFixture();
        await f.Store.CreateAsync(Docs.New());
        var existing = Path.Combine(Path.GetDirectoryName(f.Path)!, "existing.db");
        await File.WriteAllTextAsync(existing, "keep me");
        await Assert.ThrowsAsync<IOException>(() => f.Store.BackupAsync(existing));
        Assert.Equal("keep me", await File.ReadAllTextAsync(existing));
        var e = await Assert.ThrowsAsync<StorageException>(() => f.Store.BackupAsync(Path.Combine(Path.GetDirectoryName(f.Path)!, "no", "such", "dir", "b.db")));
        Assert.Equal(StorageErrorKind.CannotOpen, e.Kind);
    }

    [Fact]
    public async Task Verify_passes_on_a_healthy_store_with_counts()
    {
        await using var f = new OptimizedFixture();
        await ListTest.SeedAsync(f.Store, 100, seed: 9);
        var report = await f.Store.VerifyAsync();
        Assert.True(report.IsHealthy, report.ToString());
        Assert.Equal(100, report.Documents);
        Assert.Equal(100, report.IndexedDocuments);
        Assert.True(report.Versions > 0);
        Assert.Contains(report.Checks, c => c.Name == "fts.integrity_check" && c.Passed);
    }

    public static TheoryData<string, string, string> Damage => new()
    {
        { "versions.history", "DELETE FROM document_versions WHERE document_id = 2 AND version = 1", "" },
        { "tags.rows_match", "DELETE FROM document_tags WHERE document_id = (SELECT min(document_id) FROM document_tags)", "" },
        { "fts.missing_entries", "INSERT INTO documents_fts(documents_fts, rowid, title, content, tags) SELECT 'delete', id, title, content, tags FROM documents_fts_source WHERE id = 3", "fts.integrity_check" },
        { "tags.orphans", "PRAGMA foreign_keys = OFF; INSERT INTO document_tags (tag, document_id) VALUES ('ghost', 999999)", "" },
        { "versions.orphans", "PRAGMA foreign_keys = OFF; INSERT INTO document_versions (document_id, version, title, type, status, content, format, tags, metadata, content_hash, size_bytes, created_at, actor) VALUES (999999, 1, 't', 'note', 1, 'c', 'plain', '[]', '{}', 'h', 1, 0, 'x')", "" },
        { "fts.orphan_entries", "INSERT INTO documents_fts(rowid, title, content, tags) VALUES (999999, 'ghost', 'ghost', '')", "fts.integrity_check" },
        { "reads.rows", "DELETE FROM document_reads WHERE document_id = 3", "" },
        { "reads.rows", "PRAGMA foreign_keys = OFF; INSERT INTO document_reads (document_id) VALUES (999999)", "" },
    };

    [Theory]
    [MemberData(nameof(Damage))]
    public async Task Verify_reports_each_kind_of_damage_injected_by_raw_sql(string check, string damage, string alsoFails)
    {
        await using var f = new OptimizedFixture();
        var docs = await f.Store.CreateManyAsync(Enumerable.Range(0, 10).Select(i => Docs.New(title: "v" + i, tags: ["red", "t" + i])));
        await f.Store.UpdateAsync(docs[1].Id, new DocumentUpdate { Content = "second version" });
        Assert.True((await f.Store.VerifyAsync()).IsHealthy);
        SqliteProbe.Execute(f.Path, damage);

        var report = await f.Store.VerifyAsync();
        Assert.False(report.IsHealthy);
        var failed = report.Checks.Where(c => !c.Passed).Select(c => c.Name).ToList();
        Assert.Contains(check, failed);
        Assert.Equal(1, report.Checks.Single(c => c.Name == check).Problems);
        if (alsoFails.Length > 0)
        {
            Assert.Contains(alsoFails, failed);
        }

        Assert.Equal(report.IsHealthy, (await StoreFile.VerifyAsync(f.Path)).IsHealthy);
    }

    [Fact]
    public async Task Verifying_a_file_with_a_garbled_page_reports_it_instead_of_throwing()
    {
        using var temp = new TempDirectory();
        var path = temp.File("garbled.db");
        await using (var store = new LocalStorageSystem(new DocStoreOptions { DatabasePath = path }))
        {
            await store.CreateManyAsync(Enumerable.Range(0, 300).Select(i => Docs.New(content: "garble " + new string('g', 400))));
        }

        FileDamage.GarbleLeafPage(path, "documents");
        var report = await StoreFile.VerifyAsync(path);
        Assert.False(report.IsHealthy);
        Assert.False(report.Checks.Single(c => c.Name == "sqlite.integrity_check").Passed);
        await Assert.ThrowsAsync<FileNotFoundException>(() => StoreFile.VerifyAsync(temp.File("none.db")));
    }
}
