using DocStore.Tests.Infrastructure;

namespace DocStore.Tests;

/// <summary>Older files are upgraded step by step at open, each step in one transaction; newer files stay refused.</summary>
public sealed class MigrationTest
{
    private static readonly (string, string, string)[] OldDocuments =
    [
        ("First", "alpha bravo charlie", "[\"intro\"]"),
        ("Second", "delta echo foxtrot", "[]"),
        ("Menu", "drinks and food", "[\"caf\\u00e9\",\"c\\u002B\\u002B\"]"),
    ];

    [Fact]
    public async Task A_schema_1_file_with_fts_triggers_is_upgraded_and_its_index_stays_consistent_through_writes()
    {
        using var temp = new TempDirectory();
        var path = temp.File("v1.db");
        SchemaV1.Create(path, OldDocuments);
        Assert.Equal(3L, SqliteProbe.Scalar(path, "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'documents'"));

        await using (var store = new LocalStorageSystem(new DocStoreOptions { DatabasePath = path }))
        {
            // What failed before: an update and a create-then-hard-delete on a file that kept its triggers.
            await store.UpdateAsync(1, new DocumentUpdate { Content = "alpha bravo updated" });
            var created = await store.CreateAsync(Docs.New(content: "short lived"));
            await store.DeleteAsync(created.Id, DeleteMode.Hard);

            Assert.Equal(1, (await store.SearchAsync(new SearchQuery { Text = "updated" })).TotalCount);
            Assert.Equal(0, (await store.SearchAsync(new SearchQuery { Text = "charlie" })).TotalCount);
            var menu = Assert.Single((await store.SearchAsync(new SearchQuery { Text = "café" })).Items);
            Assert.Equal(["café", "c++"], menu.Document.Tags);
        }

        Assert.Equal((long)DocStore.Sqlite.StoreSchema.CurrentVersion, SqliteProbe.Scalar(path, "PRAGMA user_version"));
        var report = await StoreFile.VerifyAsync(path);
        Assert.True(report.IsHealthy, report.ToString());
        Assert.Equal("old", SqliteProbe.Scalar(path, "SELECT updated_by FROM documents WHERE id = 2"));
        Assert.Equal(0L, SqliteProbe.Scalar(path, "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'documents'"));
        Assert.Equal("[\"café\",\"c++\"]", SqliteProbe.Scalar(path, "SELECT tags FROM documents WHERE id = 3"));
        Assert.Equal("second", SqliteProbe.Scalar(path, "SELECT title_key FROM documents WHERE id = 2"));
        SqliteProbe.FtsCheck(path);
        Assert.Equal("ok", SqliteProbe.IntegrityCheck(path));

        // Each document indexed once.
        Assert.Equal(SqliteProbe.Scalar(path, "SELECT count(*) FROM documents"), SqliteProbe.Scalar(path, "SELECT count(*) FROM documents_fts_docsize"));
    }

    [Fact]
    public async Task Read_counts_move_to_their_own_table_with_their_values_and_both_paths_order_by_them()
    {
        using var temp = new TempDirectory();
        var path = temp.File("v1.db");
        SchemaV1.Create(path, OldDocuments);
        var at = new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc).Ticks;
        SqliteProbe.Execute(path, $"UPDATE documents SET access_count = CASE id WHEN 1 THEN 5 WHEN 2 THEN 40 ELSE 0 END, last_accessed_at = CASE id WHEN 3 THEN NULL ELSE {at} END");

        await using (var store = new LocalStorageSystem(new DocStoreOptions { DatabasePath = path }))
        {
            var second = await store.GetAsync(2);
            Assert.Equal(40, second!.AccessCount);
            Assert.Equal(at, second.LastAccessedAt!.Value.UtcTicks);
            Assert.Null((await store.GetAsync(3))!.LastAccessedAt);
            var byReads = await store.ListAsync(new ListQuery { OrderBy = DocumentOrder.AccessCount, Descending = true });
            Assert.Equal([2L, 1L, 3L], byReads.Items.Select(d => d.Id));
        }

        await using (var fast = new DocStore.Fast.OptimizedStorageSystem(new DocStore.Fast.OptimizedStorageOptions { DatabasePath = path }))
        {
            Assert.Equal(5, (await fast.GetAsync(1))!.AccessCount);
            var byReads = await fast.ListAsync(new ListQuery { OrderBy = DocumentOrder.AccessCount, Descending = true });
            Assert.Equal([2L, 1L, 3L], byReads.Items.Select(d => d.Id));
        }

        // The counts live in document_reads alone, one row per document (the fast path counted its get of document 1).
        Assert.Equal(0L, SqliteProbe.Scalar(path, "SELECT count(*) FROM pragma_table_info('documents') WHERE name IN ('access_count', 'last_accessed_at')"));
        Assert.Equal(3L, SqliteProbe.Scalar(path, "SELECT count(*) FROM document_reads"));
        Assert.Equal(6L, SqliteProbe.Scalar(path, "SELECT access_count FROM document_reads WHERE document_id = 1"));
        Assert.Equal(40L, SqliteProbe.Scalar(path, "SELECT access_count FROM document_reads WHERE document_id = 2"));
        Assert.Equal(0L, SqliteProbe.Scalar(path, "SELECT count(*) FROM sqlite_master WHERE name = 'ix_documents_access'"));
        var report = await StoreFile.VerifyAsync(path);
        Assert.True(report.IsHealthy, report.ToString());
    }

    [Fact]
    public void A_step_that_fails_rolls_back_the_whole_upgrade_and_leaves_the_file_byte_identical()
    {
        using var temp = new TempDirectory();
        var path = temp.File("v1.db");
        SchemaV1.Create(path, OldDocuments);

        // Step 3 creates the view documents_fts_source; a table of that name makes it fail.
        SqliteProbe.Execute(path, "CREATE TABLE documents_fts_source (x)");
        var before = File.ReadAllBytes(path);
        var e = Assert.Throws<StorageException>(() => new LocalStorageSystem(new DocStoreOptions { DatabasePath = path }));
        Assert.Contains("schema version 3", e.Message, StringComparison.Ordinal);
        Assert.Contains("unchanged at version 1", e.Message, StringComparison.Ordinal);

        // Step 2 (which ran before the failing step) was rolled back with it: the file is as it was, byte for byte.
        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Equal(1L, SqliteProbe.Scalar(path, "PRAGMA user_version"));

        // Once the obstacle is gone, the next open does the whole upgrade.
        SqliteProbe.Execute(path, "DROP TABLE documents_fts_source");
        using var store = new LocalStorageSystem(new DocStoreOptions { DatabasePath = path });
        Assert.Equal((long)DocStore.Sqlite.StoreSchema.CurrentVersion, SqliteProbe.Scalar(path, "PRAGMA user_version"));
        Assert.Equal(0L, SqliteProbe.Scalar(path, "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'documents'"));
        Assert.Equal(3L, SqliteProbe.Scalar(path, "SELECT count(*) FROM documents_fts_docsize"));
        SqliteProbe.FtsCheck(path);
    }

    [Fact]
    public async Task A_schema_8_file_keeps_its_documents_and_gets_one_listing_index_per_listing()
    {
        using var temp = new TempDirectory();
        var path = temp.File("v8.db");
        long[] ids;
        await using (var store = new LocalStorageSystem(new DocStoreOptions { DatabasePath = path }))
        {
            ids = [.. (await store.CreateManyAsync(Enumerable.Range(0, 30).Select(i => Docs.New(title: "doc " + i, type: i % 3 == 0 ? "guide" : "note")))).Select(d => d.Id)];
            await store.DeleteAsync(ids[0]);
        }

        // Schema 8's listing indexes, as that build created them.
        SqliteProbe.Execute(path, """
            DROP INDEX ix_documents_type_updated;
            CREATE INDEX ix_documents_type_updated ON documents(type, updated_at);
            CREATE INDEX ix_documents_type_status ON documents(type, status);
            CREATE INDEX ix_documents_live_type ON documents(type, updated_at) WHERE status <> 3;
            CREATE INDEX ix_documents_live_updated ON documents(updated_at) WHERE status <> 3;
            PRAGMA user_version = 8;
            """);

        await using (var store = new LocalStorageSystem(new DocStoreOptions { DatabasePath = path }))
        {
            var guides = await store.ListAsync(new ListQuery { Type = "guide" });
            Assert.Equal(9, guides.TotalCount);
            Assert.Equal(29, (await store.ListAsync(new ListQuery())).TotalCount);
            Assert.Equal(1, (await store.ListAsync(new ListQuery { Status = DocumentStatus.Deleted })).TotalCount);
        }

        Assert.Equal((long)DocStore.Sqlite.StoreSchema.CurrentVersion, SqliteProbe.Scalar(path, "PRAGMA user_version"));
        Assert.Equal(0L, SqliteProbe.Scalar(path, "SELECT count(*) FROM sqlite_master WHERE name IN ('ix_documents_type_status', 'ix_documents_live_type', 'ix_documents_live_updated')"));
        Assert.Contains("type, updated_at, status", (string)SqliteProbe.Scalar(path, "SELECT sql FROM sqlite_master WHERE name = 'ix_documents_type_updated'")!, StringComparison.Ordinal);
        Assert.Equal("ok", SqliteProbe.IntegrityCheck(path));
        SqliteProbe.FtsCheck(path);
        var report = await StoreFile.VerifyAsync(path);
        Assert.True(report.IsHealthy, report.ToString());
    }

    [Theory]
    [InlineData(7)]
    [InlineData(1)]
    [InlineData(8)]
    public void A_file_marked_with_a_schema_version_but_without_its_tables_is_refused_and_left_byte_identical(int version)
    {
        using var temp = new TempDirectory();
        var path = temp.File("empty.db");
        SqliteProbe.Execute(path, $"PRAGMA user_version = {version}");
        var before = File.ReadAllBytes(path);
        var e = Assert.Throws<StoreCorruptedException>(() => new LocalStorageSystem(new DocStoreOptions { DatabasePath = path }));
        Assert.Contains("table 'documents' is missing", e.Message, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.False(File.Exists(path + "-wal"), "no WAL file was created");
    }

    [Fact]
    public void A_current_file_with_an_incomplete_schema_is_refused_before_anything_is_written()
    {
        using var temp = new TempDirectory();
        var path = temp.File("store.db");
        new LocalStorageSystem(new DocStoreOptions { DatabasePath = path }).Dispose();
        SqliteProbe.Execute(path, "PRAGMA journal_mode = DELETE; DROP INDEX ix_documents_title;");
        var before = File.ReadAllBytes(path);
        Assert.Throws<StoreCorruptedException>(() => new LocalStorageSystem(new DocStoreOptions { DatabasePath = path }));
        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Equal("delete", SqliteProbe.Scalar(path, "PRAGMA journal_mode"));
    }

    [Fact]
    public async Task A_file_left_in_rollback_journal_mode_is_put_back_in_wal_at_open()
    {
        using var temp = new TempDirectory();
        var path = temp.File("journal.db");
        await new LocalStorageSystem(new DocStoreOptions { DatabasePath = path }).DisposeAsync();
        SqliteProbe.Execute(path, "PRAGMA journal_mode = DELETE");
        Assert.Equal("delete", SqliteProbe.Scalar(path, "PRAGMA journal_mode"));
        await using var store = new LocalStorageSystem(new DocStoreOptions { DatabasePath = path });
        Assert.Equal("wal", SqliteProbe.Scalar(path, "PRAGMA journal_mode"));
    }
}
