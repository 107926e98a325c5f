using DocStore.PostgreSql;
using DocStore.Tests.Infrastructure;
using Npgsql;

namespace DocStore.Tests.PostgreSql;

/// <summary>The plain store on the PostgreSQL engine, on a real database of the test cluster.</summary>
public sealed class PostgreSqlStoreTest
{
    [Fact]
    public async Task Create_get_update_and_history_round_trip_every_field()
    {
        await using var db = new PostgresDatabase();
        using var store = db.Open();
        var created = await store.CreateAsync(new NewDocument
        {
            Title = "  Getting started  ",
            Type = "tutorial",
            Content = "Hello, wörld ✓",
            Format = "plain",
            Language = "pt-BR",
            SourcePath = "/docs/start.md",
            Tags = ["Intro", "intro", " setup "],
            Metadata = "{ \"team\" : \"core\", \"n\": 3 }",
            Status = DocumentStatus.Draft,
        });

        Assert.True(created.Id > 0);
        Assert.Equal(7, created.Uuid.Version);
        Assert.Equal("Getting started", created.Title);
        Assert.Equal(["intro", "setup"], created.Tags);
        Assert.Equal("{ \"team\" : \"core\", \"n\": 3 }", created.Metadata);
        Assert.Equal(1, created.Version);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes("Hello, wörld ✓"))), created.ContentHash);
        Assert.Equal(created, await store.GetAsync(created.Id));
        Assert.Equal(created, await store.GetByUuidAsync(created.Uuid));
        Assert.Equal(2, db.Count("document_tags", $"document_id = {created.Id}"));

        var updated = await store.UpdateAsync(created.Id, new DocumentUpdate { Content = "New text", Tags = ["setup", "more"], ExpectedVersion = 1 });
        Assert.Equal(2, updated.Version);
        Assert.Equal(updated, await store.GetAsync(created.Id));
        var versions = await store.GetVersionsAsync(created.Id);
        Assert.Equal([1, 2], versions.Select(v => v.Version));
        Assert.Equal("Hello, wörld ✓", versions[0].Content);
        Assert.Equal("New text", (await store.GetVersionAsync(created.Id, 2))!.Content);
        Assert.Equal(["more", "setup"], (await store.GetAsync(created.Id))!.Tags.Order());

        await Assert.ThrowsAsync<VersionConflictException>(() => store.UpdateAsync(created.Id, new DocumentUpdate { Title = "x", ExpectedVersion = 1 }));
        Assert.Equal(2, (await store.GetAsync(created.Id))!.Version);

        var audit = await store.GetAuditLogAsync(new AuditQuery { DocumentId = created.Id });
        Assert.Equal([AuditOutcome.Conflict, AuditOutcome.Success, AuditOutcome.Success], audit.Items.Select(a => a.Outcome));
        Assert.True((await store.VerifyAsync()).IsHealthy);
    }

    [Fact]
    public async Task Soft_delete_restore_and_hard_delete_move_a_document_between_the_live_set_the_trash_and_nothing()
    {
        await using var db = new PostgresDatabase();
        using var store = db.Open();
        var doc = await store.CreateAsync(Docs.New(title: "Trashable", content: "zebra crossing"));

        Assert.True(await store.DeleteAsync(doc.Id));
        Assert.Null(await store.GetAsync(doc.Id));
        Assert.Equal(0, (await store.SearchAsync(new SearchQuery { Text = "zebra" })).TotalCount);
        Assert.Equal(1, (await store.SearchAsync(new SearchQuery { Text = "zebra", Status = DocumentStatus.Deleted })).TotalCount);

        var restored = await store.RestoreVersionAsync(doc.Id, 2);
        Assert.Equal(DocumentStatus.Active, restored.Status);
        Assert.Equal(1, (await store.SearchAsync(new SearchQuery { Text = "zebra" })).TotalCount);

        Assert.True(await store.DeleteAsync(doc.Id, DeleteMode.Hard));
        Assert.Equal(0, db.Count("documents"));
        Assert.Equal(0, db.Count("document_versions"));
        Assert.Equal(0, db.Count("document_reads"));
        Assert.False(await store.DeleteAsync(doc.Id));
        Assert.True((await store.VerifyAsync()).IsHealthy);
    }

    [Fact]
    public async Task Search_ranks_the_exact_title_first_finds_stems_prefixes_and_accents_and_builds_snippets()
    {
        await using var db = new PostgresDatabase();
        using var store = db.Open();
        var notes = await store.CreateAsync(Docs.New(title: "Notes on caching", content: "Caching notes. The cache runs; caching again and again, a caching layer."));
        var exact = await store.CreateAsync(Docs.New(title: "Caching", content: "A short page."));
        await store.CreateAsync(Docs.New(title: "Café guide", content: "Where the runners meet.", type: "guide"));
        await store.CreateAsync(Docs.New(title: "Other", content: "Nothing relevant here."));

        var byTitle = await store.SearchAsync(new SearchQuery { Text = "caching" });
        Assert.Equal(2, byTitle.TotalCount);
        Assert.Equal(exact.Id, byTitle.Items[0].Document.Id);

        // Snowball stems "running" and "runs" to "run", but "runners" to "runner": a stem, not a prefix.
        Assert.Equal(notes.Id, Assert.Single((await store.SearchAsync(new SearchQuery { Text = "running" })).Items).Document.Id);
        Assert.Equal(1, (await store.SearchAsync(new SearchQuery { Text = "runner" })).TotalCount);
        Assert.Equal(2, (await store.SearchAsync(new SearchQuery { Text = "run*" })).TotalCount);
        Assert.Equal(1, (await store.SearchAsync(new SearchQuery { Text = "cafe" })).TotalCount);
        Assert.Equal(1, (await store.SearchAsync(new SearchQuery { Text = "caf* guide", Type = "guide" })).TotalCount);
        Assert.Equal(0, (await store.SearchAsync(new SearchQuery { Text = "caf* guide", Type = "note" })).TotalCount);

        var snippet = (await store.SearchAsync(new SearchQuery { Text = "runners", HighlightStart = "[", HighlightEnd = "]" })).Items.Single().Snippet;
        Assert.Contains("[runners]", snippet, StringComparison.Ordinal);

        // Advanced mode is PostgreSQL's web search syntax: phrases, or, and -word.
        Assert.Equal(2, (await store.SearchAsync(new SearchQuery { Text = "caching -layer or runners", Mode = SearchMode.Advanced })).TotalCount);
        Assert.Equal(0, (await store.SearchAsync(new SearchQuery { Text = "\"again caching\"", Mode = SearchMode.Advanced })).TotalCount);
        Assert.Equal(1, (await store.SearchAsync(new SearchQuery { Text = "\"caching again\"", Mode = SearchMode.Advanced })).TotalCount);
        var excluded = await store.SearchAsync(new SearchQuery { Text = "-caching", Mode = SearchMode.Advanced });
        Assert.Equal(2, excluded.TotalCount);
        Assert.All(excluded.Items, hit => Assert.False(string.IsNullOrEmpty(hit.Snippet)));
        await Assert.ThrowsAsync<InvalidSearchQueryException>(() => store.SearchAsync(new SearchQuery { Text = "  ,  " }));
    }

    [Fact]
    public async Task A_document_larger_than_a_tsvector_can_hold_is_stored_whole_and_found_by_its_start()
    {
        await using var db = new PostgresDatabase();
        using var store = new LocalStorageSystem(db.Options() is var o ? new DocStoreOptions { Engine = o.Engine, ConnectionString = o.ConnectionString, MaxContentBytes = 8 * 1024 * 1024 } : null!);
        var random = new Random(5);
        var words = string.Join(' ', Enumerable.Range(0, 400_000).Select(_ => new string(Enumerable.Range(0, 8).Select(_ => (char)('a' + random.Next(26))).ToArray())));
        var doc = await store.CreateAsync(Docs.New(title: "Huge", content: "needle " + words + " lastword"));
        Assert.Equal(doc.Content, (await store.GetAsync(doc.Id))!.Content);
        Assert.Equal(1, (await store.SearchAsync(new SearchQuery { Text = "needle" })).TotalCount);
        Assert.Equal(0, (await store.SearchAsync(new SearchQuery { Text = "lastword" })).TotalCount);
    }

    [Fact]
    public async Task Listings_filter_order_and_count_as_on_sqlite()
    {
        await using var db = new PostgresDatabase();
        using var store = db.Open();
        var random = new Random(11);
        var docs = await store.CreateManyAsync(Enumerable.Range(0, 60).Select(_ => Docs.Random(random)).ToList());

        var live = docs.Where(d => d.Status != DocumentStatus.Deleted).ToList();
        var all = await store.ListAsync(new ListQuery { PageSize = 1000, OrderBy = DocumentOrder.Id, Descending = false });
        Assert.Equal(live.Select(d => d.Id), all.Items.Select(d => d.Id));
        Assert.Equal(live.Count, all.TotalCount);

        var byTitle = await store.ListAsync(new ListQuery { PageSize = 1000, OrderBy = DocumentOrder.Title, Descending = false });
        Assert.Equal(live.OrderBy(d => d.Title.ToLowerInvariant(), StringComparer.Ordinal).ThenBy(d => d.Id).Select(d => d.Id), byTitle.Items.Select(d => d.Id));

        var core = await store.ListAsync(new ListQuery { PageSize = 1000, Type = "api", Tags = ["red"], Metadata = [MetadataFilter.Equal("team", "core")] });
        var expected = live.Where(d => d.Type == "api" && d.Tags.Contains("red") && d.Metadata.Contains("\"core\"", StringComparison.Ordinal)).ToList();
        Assert.Equal(expected.Count, core.TotalCount);
        Assert.Equal(expected.OrderByDescending(d => d.UpdatedAt).ThenByDescending(d => d.Id).Select(d => d.Id), core.Items.Select(d => d.Id));

        var priority = await store.ListAsync(new ListQuery { PageSize = 1000, Metadata = [MetadataFilter.Equal("priority", 2)] });
        Assert.Equal(live.Count(d => d.Metadata.Contains("\"priority\":2", StringComparison.Ordinal)), priority.TotalCount);

        var page2 = await store.ListAsync(new ListQuery { Page = 2, PageSize = 7, OrderBy = DocumentOrder.Id, Descending = true });
        Assert.Equal(live.OrderByDescending(d => d.Id).Skip(7).Take(7).Select(d => d.Id), page2.Items.Select(d => d.Id));

        var stats = await store.GetStatisticsAsync();
        Assert.Equal(live.Count, stats.DocumentCount);
        Assert.True(stats.DatabaseBytes > 0);
    }

    [Fact]
    public async Task A_failing_write_in_a_group_fails_alone_and_the_others_commit()
    {
        await using var db = new PostgresDatabase();
        using var store = db.Open();
        var existing = await store.CreateAsync(Docs.New(title: "existing", content: "old words"));
        db.Scalar("""
            CREATE FUNCTION poison() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'injected failure'; END $$;
            CREATE TRIGGER injected_failure BEFORE INSERT ON document_tags FOR EACH ROW WHEN (new.tag = 'poison') EXECUTE FUNCTION poison();
            """);
        var (groupsBefore, _) = store.WriteGroups;

        var release = new TaskCompletionSource();
        var held = store.HoldWriterAsync(release.Task);
        var good = Enumerable.Range(0, 6).Select(i => store.CreateAsync(Docs.New(title: "good " + i, content: "groupword " + i))).ToList();
        var poisoned = store.CreateAsync(Docs.New(title: "bad", content: "groupword poisoned", tags: ["poison"]));
        var conflict = store.UpdateAsync(existing.Id, new DocumentUpdate { Content = "stale", ExpectedVersion = 7 });
        var update = store.UpdateAsync(existing.Id, new DocumentUpdate { Content = "new words" });
        release.SetResult();
        await held;

        await Task.WhenAll(good);
        Assert.Contains("injected failure", (await Assert.ThrowsAsync<StorageException>(() => poisoned)).Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<VersionConflictException>(() => conflict);
        Assert.Equal(2, (await update).Version);
        Assert.Equal(groupsBefore + 1, store.WriteGroups.Groups);

        Assert.Equal(7, db.Count("documents"));
        Assert.Equal(0, db.Count("documents", "title = 'bad'"));
        Assert.Equal(6, (await store.SearchAsync(new SearchQuery { Text = "groupword" })).TotalCount);
        Assert.Equal(1, db.Count("audit_log", "operation = 'Create' AND outcome = 'Failed' AND error LIKE '%injected failure%'"));
        Assert.Equal(1, db.Count("audit_log", "operation = 'Update' AND outcome = 'Conflict'"));
        Assert.Equal(6 + 1 + 1, db.Count("audit_log", "outcome = 'Success'"));
        Assert.True((await store.VerifyAsync()).IsHealthy);
    }

    [Fact]
    public async Task More_writes_than_a_group_holds_commit_in_several_groups()
    {
        await using var db = new PostgresDatabase();
        using var store = db.Open();
        var release = new TaskCompletionSource();
        var held = store.HoldWriterAsync(release.Task);
        var writes = Enumerable.Range(0, 150).Select(i => store.CreateAsync(Docs.New(title: "t" + i))).ToList();
        release.SetResult();
        await held;
        await Task.WhenAll(writes);
        Assert.Equal(150, db.Count("documents"));
        Assert.True(store.WriteGroups.Groups >= 3);
    }

    [Fact]
    public async Task The_audit_log_refuses_updates_deletes_and_truncation()
    {
        await using var db = new PostgresDatabase();
        using (var store = db.Open())
        {
            await store.CreateAsync(Docs.New());
        }

        foreach (var sql in new[] { "UPDATE audit_log SET actor = 'x'", "DELETE FROM audit_log", "TRUNCATE audit_log" })
        {
            var e = Assert.Throws<PostgresException>(() => db.Scalar(sql));
            Assert.Contains("append-only", e.MessageText, StringComparison.Ordinal);
        }

        Assert.Equal(1, db.Count("audit_log"));
    }

    [Fact]
    public async Task Instances_opening_together_create_the_schema_once_and_all_write()
    {
        await using var db = new PostgresDatabase();
        using var start = new Barrier(4);
        var stores = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
        {
            start.SignalAndWait();
            return db.Open();
        })));
        try
        {
            Assert.Equal(1, db.Count("docstore_schema"));
            var created = await Task.WhenAll(stores.SelectMany((s, i) => Enumerable.Range(0, 10).Select(k => s.CreateAsync(Docs.New(title: $"s{i} d{k}")))));
            Assert.Equal(40, created.Select(d => d.Id).Distinct().Count());
            foreach (var store in stores)
            {
                Assert.Equal(40, (await store.ListAsync(new ListQuery { PageSize = 100 })).TotalCount);
            }
        }
        finally
        {
            foreach (var store in stores)
            {
                store.Dispose();
            }
        }
    }

    [Fact]
    public async Task Two_instances_updating_one_document_are_linearized_by_its_version()
    {
        await using var db = new PostgresDatabase();
        using var a = db.Open();
        using var b = db.Open();
        var doc = await a.CreateAsync(Docs.New());
        using var start = new Barrier(2);
        var results = await Task.WhenAll(new[] { a, b }.Select(store => Task.Run(async () =>
        {
            start.SignalAndWait();
            var wins = 0;
            for (var i = 0; i < 40; i++)
            {
                var current = (await store.GetAsync(doc.Id))!;
                try
                {
                    await store.UpdateAsync(doc.Id, new DocumentUpdate { Content = "v" + current.Version, ExpectedVersion = current.Version });
                    wins++;
                }
                catch (VersionConflictException)
                {
                }
            }

            return wins;
        })));

        var final = (await a.GetAsync(doc.Id))!;
        Assert.Equal(1 + results.Sum(), final.Version);
        Assert.Equal(final.Version, (await a.GetVersionsAsync(doc.Id)).Count);
        Assert.True((await a.VerifyAsync()).IsHealthy);
    }

    [Fact]
    public async Task Words_in_markup_urls_paths_and_hyphenated_terms_are_found_as_on_sqlite()
    {
        await using var db = new PostgresDatabase();
        await using var sqlite = new StoreFixture();
        const string Content = """
            <xsl:output method="xml" doctype-public="-//W3C//DTD XHTML 1.0 Strict//EN"/> then <div class="warning">
            see https://www.example.org/guide/chapter-two.html or /usr/share/postgresql/extension, mail admin@example.com,
            e-mail the write-ahead log, version 3.14, snake_case_name and it's done.
            """;
        var words = new[] { "xsl", "method", "xhtml", "strict", "div", "warning", "example", "guide", "chapter", "usr", "extension", "admin", "mail", "write", "ahead", "14", "snake", "case", "done" };
        using var pg = db.Open();
        foreach (var store in new[] { sqlite.Store, pg })
        {
            await store.CreateAsync(Docs.New(title: "markup", content: Content));
            foreach (var word in words)
            {
                Assert.True((await store.SearchAsync(new SearchQuery { Text = word })).TotalCount == 1, $"'{word}' not found on {store.Options.Engine}");
            }

            Assert.Equal(1, (await store.SearchAsync(new SearchQuery { Text = "write-ahead" })).TotalCount);
            Assert.Equal(1, (await store.SearchAsync(new SearchQuery { Text = "www.example.org" })).TotalCount);
            Assert.Equal(1, (await store.SearchAsync(new SearchQuery { Text = "chap*" })).TotalCount);

            // Advanced syntax is each engine's own: FTS5's NOT, web search's '-'.
            var not = store.Options.Engine == DocStoreEngine.PostgreSql ? "-" : "NOT ";
            Assert.Equal(1, (await store.SearchAsync(new SearchQuery { Text = $"\"write ahead\" {not}nothing", Mode = SearchMode.Advanced })).TotalCount);
            Assert.Equal(0, (await store.SearchAsync(new SearchQuery { Text = $"warning {not}xhtml", Mode = SearchMode.Advanced })).TotalCount);
        }
    }

    /// <summary>Takes away what versions 3 (the kept counts) and 4 (search vectors in the row) added, to make an earlier version's schema.</summary>
    private const string UndoVersions3And4 = """
        ALTER TABLE documents ALTER COLUMN search SET STORAGE EXTENDED;
        DROP TRIGGER documents_count_insert_delete ON documents;
        DROP TRIGGER documents_count_update ON documents;
        DROP FUNCTION document_counts_apply();
        DROP TABLE document_counts;
        """;

    [Fact]
    public async Task A_version_1_schema_is_upgraded_in_place_and_its_search_vectors_rebuilt()
    {
        await using var db = new PostgresDatabase();
        using (var store = db.Open())
        {
            await store.CreateAsync(Docs.New(title: "upgrade me", content: "<div class=\"warning\">careful</div>"));
        }

        // Version 1 as it shipped: the parser's own tokens, so the words inside a tag were not indexed.
        db.Scalar("""
            CREATE OR REPLACE FUNCTION docstore_search_vector(title text, tags text, content text) RETURNS tsvector
                LANGUAGE sql IMMUTABLE PARALLEL SAFE
                RETURN setweight(to_tsvector('docstore'::regconfig, title), 'A')
                    || setweight(to_tsvector('docstore'::regconfig, tags), 'B')
                    || setweight(to_tsvector('docstore'::regconfig, left(content, 100000)), 'D');
            UPDATE documents SET content = content;
            UPDATE docstore_schema SET version = 1;
            """ + UndoVersions3And4);
        Assert.Equal(0, db.Count("documents", "search @@ to_tsquery('docstore', 'warning')"));

        using (var store = db.Open())
        {
            Assert.Equal(1, (await store.SearchAsync(new SearchQuery { Text = "warning" })).TotalCount);
            Assert.True((await store.VerifyAsync()).IsHealthy);
        }

        Assert.Equal(PostgreSqlSchema.CurrentVersion, db.Scalar("SELECT version FROM docstore_schema"));
        Assert.Equal(1, db.Count("docstore_schema"));
    }

    [Fact]
    public async Task A_version_2_schema_is_upgraded_with_its_kept_counts_filled_and_search_vectors_kept_in_the_row()
    {
        await using var db = new PostgresDatabase();
        using (var store = db.Open())
        {
            await store.CreateManyAsync(Enumerable.Range(0, 12).Select(i => Docs.New(title: "d" + i, type: i % 3 == 0 ? "guide" : "note")));
            var first = (await store.ListAsync(new ListQuery { Type = "guide" })).Items[0];
            await store.DeleteAsync(first.Id);
        }

        // Version 2 as it shipped: no kept counts.
        db.Scalar(UndoVersions3And4 + "UPDATE docstore_schema SET version = 2;");

        await using (var store = new DocStore.Fast.OptimizedStorageSystem(new DocStore.Fast.OptimizedStorageOptions { Engine = DocStoreEngine.PostgreSql, ConnectionString = db.ConnectionString }))
        {
            Assert.Equal(3, (await store.ListAsync(new ListQuery { Type = "guide" })).TotalCount);
            Assert.Equal(8, (await store.ListAsync(new ListQuery { Type = "note", Status = DocumentStatus.Active })).TotalCount);
            Assert.Equal(1, (await store.ListAsync(new ListQuery { Status = DocumentStatus.Deleted })).TotalCount);
            await store.CreateAsync(Docs.New(type: "guide"));
            Assert.Equal(4, (await store.ListAsync(new ListQuery { Type = "guide" })).TotalCount);
            var report = await store.VerifyAsync();
            Assert.True(report.IsHealthy, report.ToString());
        }

        Assert.Equal(PostgreSqlSchema.CurrentVersion, db.Scalar("SELECT version FROM docstore_schema"));
        Assert.Equal(13, db.Scalar("SELECT sum(documents) FROM document_counts"));
        Assert.Equal('m', SearchStorage(db));
    }

    [Fact]
    public async Task A_new_schema_keeps_search_vectors_in_the_row()
    {
        await using var db = new PostgresDatabase();
        using (var store = db.Open())
        {
            await store.CreateAsync(Docs.New());
        }

        Assert.Equal('m', SearchStorage(db));
    }

    private static char SearchStorage(PostgresDatabase db) =>
        (char)db.Scalar("SELECT ascii(attstorage) FROM pg_attribute WHERE attrelid = 'documents'::regclass AND attname = 'search'");

    [Fact]
    public async Task A_write_that_fails_inside_its_group_leaves_no_count_behind()
    {
        await using var db = new PostgresDatabase();
        using var store = db.Open();
        await store.CreateAsync(Docs.New(type: "guide"));
        // Fails after the document's row (and its deferred count event) is written: the savepoint's rollback must drop both.
        db.Scalar("""
            CREATE FUNCTION injected_failure() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'injected failure'; END $$;
            CREATE TRIGGER injected_failure BEFORE INSERT ON document_tags FOR EACH ROW WHEN (NEW.tag = 'poison') EXECUTE FUNCTION injected_failure();
            """);

        var release = new TaskCompletionSource();
        var held = store.HoldWriterAsync(release.Task);
        var good = Enumerable.Range(0, 4).Select(i => store.CreateAsync(Docs.New(title: "good " + i, type: "guide"))).ToList();
        var poisoned = store.CreateAsync(Docs.New(title: "bad", type: "guide", tags: ["poison"]));
        release.SetResult();
        await held;

        await Task.WhenAll(good);
        Assert.Contains("injected failure", (await Assert.ThrowsAsync<StorageException>(() => poisoned)).Message, StringComparison.Ordinal);
        Assert.Equal(5, db.Count("documents"));
        Assert.Equal(5, db.Scalar("SELECT sum(documents) FROM document_counts WHERE type = 'guide'"));
        var report = await store.VerifyAsync();
        Assert.True(report.IsHealthy, report.ToString());
    }

    [Fact]
    public async Task Instances_writing_the_same_types_in_crossed_order_keep_the_counts_exact_and_never_deadlock()
    {
        await using var db = new PostgresDatabase();
        var stores = Enumerable.Range(0, 3).Select(_ => db.Open()).ToArray();
        try
        {
            string[] types = ["alpha", "beta", "gamma"];
            using var start = new Barrier(stores.Length);
            await Task.WhenAll(stores.Select((store, s) => Task.Run(async () =>
            {
                start.SignalAndWait();
                for (var round = 0; round < 15; round++)
                {
                    // Each group touches every type's count row, each instance in its own order.
                    var order = s % 2 == 0 ? types : types.Reverse().ToArray();
                    var created = await store.CreateManyAsync(order.Select((t, k) => Docs.New(title: $"s{s} r{round} {k}", type: t)));
                    await store.UpdateAsync(created[0].Id, new DocumentUpdate { Type = order[^1] });
                    if (round % 3 == 0)
                    {
                        await store.DeleteAsync(created[1].Id);
                    }
                }
            })));

            Assert.Equal(3 * 15 * 3, db.Count("documents"));
            foreach (var store in stores)
            {
                var report = await store.VerifyAsync();
                Assert.True(report.IsHealthy, report.ToString());
            }

            Assert.Equal(0, db.Scalar(
                "SELECT count(*) FROM (SELECT type, status, count(*) FROM documents GROUP BY type, status "
                + "EXCEPT SELECT type, status, documents FROM document_counts) differing"));
        }
        finally
        {
            foreach (var store in stores)
            {
                store.Dispose();
            }
        }
    }

    [Fact]
    public async Task A_database_holding_another_applications_documents_table_is_refused_and_left_as_it_was()
    {
        await using var db = new PostgresDatabase();
        db.Scalar("CREATE TABLE documents (id int primary key, body text); INSERT INTO documents VALUES (1, 'theirs')");
        var e = Assert.Throws<StorageException>(db.Open);
        Assert.Equal(StorageErrorKind.NotADatabase, e.Kind);
        Assert.Equal(1, db.Count("documents"));
        Assert.Equal(0, db.Scalar("SELECT count(*) FROM pg_tables WHERE tablename = 'audit_log'"));
    }

    [Fact]
    public void A_server_that_cannot_be_reached_is_a_typed_error_and_missing_settings_are_named()
    {
        var unreachable = new DocStoreOptions { Engine = DocStoreEngine.PostgreSql, ConnectionString = "Host=127.0.0.1;Port=1;Username=x;Database=x;Timeout=2" };
        Assert.Equal(StorageErrorKind.CannotOpen, Assert.Throws<StorageException>(() => new LocalStorageSystem(unreachable)).Kind);

        var missing = Assert.Throws<ArgumentException>(() => new LocalStorageSystem(new DocStoreOptions { Engine = DocStoreEngine.PostgreSql }));
        Assert.Contains("ConnectionString", missing.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new LocalStorageSystem(new DocStoreOptions { Engine = DocStoreEngine.PostgreSql, ConnectionString = "Host=;;=x" }));
        var fast = Assert.Throws<StorageException>(() => new DocStore.Fast.OptimizedStorageSystem(new DocStore.Fast.OptimizedStorageOptions { Engine = DocStoreEngine.PostgreSql, ConnectionString = unreachable.ConnectionString }));
        Assert.Equal(StorageErrorKind.CannotOpen, fast.Kind);
    }

    [Fact]
    public async Task Each_maintenance_operation_does_the_servers_equivalent_or_says_what_to_use_instead()
    {
        await using var db = new PostgresDatabase();
        using var store = db.Open();
        using var temp = new TempDirectory();
        await store.CreateManyAsync(Enumerable.Range(0, 20).Select(i => Docs.New(title: "t" + i)).ToList());

        await store.OptimizeAsync();
        await store.OptimizeAsync(vacuum: true);
        await store.CheckpointAsync();
        Assert.True((await store.VerifyAsync()).IsHealthy);
        Assert.Contains("pg_dump", (await Assert.ThrowsAsync<NotSupportedException>(() => store.BackupAsync(temp.File("b.db")))).Message, StringComparison.Ordinal);
        Assert.False(File.Exists(temp.File("b.db")));
        Assert.Contains("TLS", (await Assert.ThrowsAsync<NotSupportedException>(() => store.RotateKeyAsync(EncryptionKey.FromPassphrase("k")))).Message, StringComparison.Ordinal);
        Assert.Equal(20, (await store.ListAsync(new ListQuery())).TotalCount);
    }

    [Fact]
    public async Task A_cancellation_that_comes_after_the_store_closed_does_not_throw_from_Cancel()
    {
        // With CancelAfter, the callbacks run on a timer thread, where an exception would end the process.
        await using var db = new PostgresDatabase();
        var store = db.Open();
        var engine = (PostgreSqlEngine)store.Engine;
        await using var connection = await engine.DataSource.OpenConnectionAsync(TestContext.Current.CancellationToken);
        using var cancel = new CancellationTokenSource();
        using var registration = engine.InterruptOnCancel(connection, cancel.Token);
        store.Dispose();
        cancel.Cancel();
        Assert.True(cancel.IsCancellationRequested);
    }

    [Fact]
    public async Task A_statement_still_running_when_its_call_is_cancelled_is_stopped_on_the_server()
    {
        await using var db = new PostgresDatabase();
        using var store = db.Open();
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        var started = System.Diagnostics.Stopwatch.StartNew();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => store.ScalarForTestsAsync("SELECT count(*) FROM pg_sleep(30)", cancel.Token));
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(20), $"the statement ran on for {started.Elapsed}");
        Assert.Equal(0, db.Scalar("SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND query LIKE '%pg_sleep(30)%' AND pid <> pg_backend_pid()"));
        Assert.NotNull(await store.CreateAsync(Docs.New()));
    }

    [Fact]
    public async Task A_write_waiting_longer_than_BusyTimeout_for_a_row_another_connection_holds_fails_as_busy_and_the_next_succeeds()
    {
        await using var db = new PostgresDatabase();
        using var store = new LocalStorageSystem(new DocStoreOptions { Engine = DocStoreEngine.PostgreSql, ConnectionString = db.ConnectionString, BusyTimeout = TimeSpan.FromMilliseconds(300) });
        var doc = await store.CreateAsync(Docs.New());
        await using (var holder = new Npgsql.NpgsqlConnection(db.ConnectionString))
        {
            await holder.OpenAsync(TestContext.Current.CancellationToken);
            await using var transaction = await holder.BeginTransactionAsync(TestContext.Current.CancellationToken);
            await using (var command = new Npgsql.NpgsqlCommand($"SELECT 1 FROM documents WHERE id = {doc.Id} FOR UPDATE", holder, transaction))
            {
                await command.ExecuteScalarAsync(TestContext.Current.CancellationToken);
            }

            var e = await Assert.ThrowsAsync<StorageException>(() => store.UpdateAsync(doc.Id, new DocumentUpdate { Title = "blocked" }));
            Assert.Equal(StorageErrorKind.Busy, e.Kind);
        }

        Assert.Equal(2, (await store.UpdateAsync(doc.Id, new DocumentUpdate { Title = "free" })).Version);
        Assert.Equal(1, db.Count("audit_log", "outcome = 'Failed' AND operation = 'Update'"));
    }
}
