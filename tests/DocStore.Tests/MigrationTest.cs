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
        Assert.Equal(0L, SqliteProbe.Scalar(path, "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'documents' AND name NOT LIKE 'documents_count_%'"));
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
        Assert.Equal(0L, SqliteProbe.Scalar(path, "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'documents' AND name NOT LIKE 'documents_count_%'"));
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

        // Schema 8's listing indexes, as that build created them, and its UUIDs and hashes as text.
        SqliteProbe.Execute(path, """
            UPDATE documents SET content_hash = lower(hex(content_hash)),
                uuid = lower(substr(hex(uuid), 1, 8) || '-' || substr(hex(uuid), 9, 4) || '-' || substr(hex(uuid), 13, 4) || '-' || substr(hex(uuid), 17, 4) || '-' || substr(hex(uuid), 21));
            DROP TRIGGER documents_count_insert;
            DROP TRIGGER documents_count_delete;
            DROP TRIGGER documents_count_update;
            DROP TABLE document_counts;
            DROP INDEX ix_documents_updated;
            CREATE INDEX ix_documents_updated ON documents(updated_at, status);
            DROP INDEX ix_documents_created;
            CREATE INDEX ix_documents_created ON documents(created_at, status);
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
        Assert.Contains("type, updated_at, id, status", (string)SqliteProbe.Scalar(path, "SELECT sql FROM sqlite_master WHERE name = 'ix_documents_type_updated'")!, StringComparison.Ordinal);
        Assert.Equal("ok", SqliteProbe.IntegrityCheck(path));
        SqliteProbe.FtsCheck(path);
        var report = await StoreFile.VerifyAsync(path);
        Assert.True(report.IsHealthy, report.ToString());
    }

    [Fact]
    public async Task A_schema_9_file_gets_its_uuids_and_hashes_as_blobs_and_keeps_every_row_and_id()
    {
        using var temp = new TempDirectory();
        var path = temp.File("v9.db");

        // Schema 9 as that build created it: UUIDs and hashes as text. Documents 1-3 exist (3 soft-deleted), 4 and 5
        // were hard-deleted (AUTOINCREMENT's mark is 5), document 1 has an older version, tags and read counts.
        var script = DocStore.Sqlite.StoreSchema.CreateScript;
        (string Now, string Then)[] changes =
        [
            ("uuid             BLOB    NOT NULL UNIQUE", "uuid             TEXT    NOT NULL UNIQUE"),
            ("content_hash BLOB    NOT NULL", "content_hash TEXT    NOT NULL"),
            (DocStore.Sqlite.StoreSchema.DocumentCountsDdl, ""),
            (DocStore.Sqlite.StoreSchema.TimeIndexesDdl, """
                CREATE INDEX ix_documents_updated ON documents(updated_at, status);
                CREATE INDEX ix_documents_type_updated ON documents(type, updated_at, status);
                CREATE INDEX ix_documents_created ON documents(created_at, status);
                """),
        ];
        var schema9 = script;
        foreach (var (now, then) in changes)
        {
            Assert.Contains(now, schema9, StringComparison.Ordinal);
            schema9 = schema9.Replace(now, then, StringComparison.Ordinal);
        }

        Guid[] uuids = [Guid.CreateVersion7(), Guid.CreateVersion7(), Guid.CreateVersion7()];
        string[] contents = ["alpha bravo", "charlie delta", "echo foxtrot"];
        var rows = string.Join(",\n", Enumerable.Range(0, 3).Select(i =>
            $"({i + 1}, '{uuids[i]:D}', 'Doc {i + 1}', 'note', {(i == 2 ? 3 : 1)}, '{contents[i]}', 'plain', '[\"t{i}\"]', '{{}}', '{Validation.DocumentValidator.ContentHash(contents[i])}', {contents[i].Length}, {(i == 0 ? 2 : 1)}, {i + 1}, {i + 1}, 'old', 'doc {i + 1}')"));
        SqliteProbe.Execute(path, $$"""
            PRAGMA journal_mode = WAL;
            BEGIN;
            {{schema9}}
            INSERT INTO documents (id, uuid, title, type, status, content, format, tags, metadata, content_hash, size_bytes, version, created_at, updated_at, updated_by, title_key)
            VALUES {{rows}};
            UPDATE sqlite_sequence SET seq = 5 WHERE name = 'documents';
            INSERT INTO document_versions (document_id, version, title, type, status, content, format, tags, metadata, content_hash, size_bytes, created_at, actor)
            VALUES (1, 1, 'Doc 1', 'note', 1, 'first words', 'plain', '[]', '{}', '{{Validation.DocumentValidator.ContentHash("first words")}}', 11, 0, 'old');
            INSERT INTO document_tags (tag, document_id) VALUES ('t0', 1), ('t1', 2), ('t2', 3);
            INSERT INTO document_reads (document_id, access_count) VALUES (1, 7), (2, 0), (3, 1);
            INSERT INTO audit_log (at, operation, document_id, version, actor, outcome, duration_us)
            VALUES (1, 'Create', 1, 1, 'old', 'Success', 1), (2, 'Create', 2, 1, 'old', 'Success', 1), (3, 'Create', 3, 1, 'old', 'Success', 1),
                (4, 'Update', 1, 2, 'old', 'Success', 1), (5, 'Delete', 3, 1, 'old', 'Success', 1);
            INSERT INTO documents_fts(documents_fts) VALUES ('rebuild');
            INSERT INTO documents_trash_fts(documents_trash_fts) VALUES ('rebuild');
            PRAGMA application_id = {{DocStore.Sqlite.StoreSchema.ApplicationId}};
            PRAGMA user_version = 9;
            COMMIT;
            """);

        // The upgrade alone: no row that refers to a document is lost with the table it referred to.
        new LocalStorageSystem(new DocStoreOptions { DatabasePath = path }).Dispose();
        Assert.Equal(3L, SqliteProbe.Scalar(path, "SELECT count(*) FROM document_tags"));
        Assert.Equal(3L, SqliteProbe.Scalar(path, "SELECT count(*) FROM document_reads"));
        Assert.Equal(1L, SqliteProbe.Scalar(path, "SELECT count(*) FROM document_versions WHERE document_id = 1 AND version = 1"));

        await using (var store = new LocalStorageSystem(new DocStoreOptions { DatabasePath = path }))
        {
            var first = await store.GetByUuidAsync(uuids[0]);
            Assert.Equal((1L, 7L), (first!.Id, first.AccessCount));
            Assert.Equal(["t0"], first.Tags);
            Assert.Equal(Validation.DocumentValidator.ContentHash("alpha bravo"), first.ContentHash);
            var history = await store.GetVersionsAsync(1);
            Assert.Equal(Validation.DocumentValidator.ContentHash("first words"), history.Single(v => v.Version == 1).ContentHash);
            Assert.Equal(uuids[1], (await store.GetAsync(2))!.Uuid);
            Assert.Equal(1, (await store.SearchAsync(new SearchQuery { Text = "charlie" })).TotalCount);
            Assert.Equal(1, (await store.ListAsync(new ListQuery { Status = DocumentStatus.Deleted })).TotalCount);

            // Matched by its hash on import; and the hard-deleted ids are not given out again.
            var same = new NewDocument { Title = "Doc 2", Type = "note", Content = "charlie delta", Format = "plain", Tags = ["t1"] };
            var import = await store.ImportAsync(new[] { same }.ToAsyncEnumerable(), new ImportOptions { MatchExisting = true });
            Assert.Equal((0L, 1L), (import.Created, import.Unchanged));
            Assert.Equal(6, (await store.CreateAsync(Docs.New())).Id);
        }

        await using (var fast = new DocStore.Fast.OptimizedStorageSystem(new DocStore.Fast.OptimizedStorageOptions { DatabasePath = path }))
        {
            Assert.Equal(2, (await fast.GetByUuidAsync(uuids[1]))!.Id);
            Assert.Equal(Validation.DocumentValidator.ContentHash("charlie delta"), (await fast.GetAsync(2))!.ContentHash);
        }

        Assert.Equal((long)DocStore.Sqlite.StoreSchema.CurrentVersion, SqliteProbe.Scalar(path, "PRAGMA user_version"));
        Assert.Equal(0L, SqliteProbe.Scalar(path, "SELECT count(*) FROM documents WHERE typeof(uuid) <> 'blob' OR length(uuid) <> 16 OR typeof(content_hash) <> 'blob' OR length(content_hash) <> 32"));
        Assert.Equal(0L, SqliteProbe.Scalar(path, "SELECT count(*) FROM document_versions WHERE typeof(content_hash) <> 'blob' OR length(content_hash) <> 32"));
        Assert.Equal(uuids[0].ToString("N").ToUpperInvariant(), SqliteProbe.Scalar(path, "SELECT hex(uuid) FROM documents WHERE id = 1"));
        Assert.Equal(0L, SqliteProbe.Scalar(path, "SELECT count(*) FROM sqlite_master WHERE name LIKE '%\\_new' ESCAPE '\\'"));
        Assert.Null(SqliteProbe.Scalar(path, "PRAGMA foreign_key_check"));
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
