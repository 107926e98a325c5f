using DocStore.Tests.Infrastructure;

namespace DocStore.Tests;

public sealed class LocalStorageSystemCrudTest
{
    [Fact]
    public async Task Create_then_get_round_trips_every_field()
    {
        await using var f = new StoreFixture();
        var created = await f.Store.CreateAsync(new NewDocument
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
        Assert.Equal(System.Text.Encoding.UTF8.GetByteCount("Hello, wörld ✓"), created.SizeBytes);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes("Hello, wörld ✓"))), created.ContentHash);
        Assert.Equal(created.CreatedAt, created.UpdatedAt);
        Assert.Null(created.LastAccessedAt);

        Assert.Equal(created, await f.Store.GetAsync(created.Id));
        Assert.Equal(created, await f.Store.GetByUuidAsync(created.Uuid));
        Assert.Equal(2, f.Count("document_tags", $"document_id = {created.Id}"));
    }

    [Fact]
    public async Task Metadata_comes_back_exactly_as_stored_with_non_ascii_and_html_characters()
    {
        await using var f = new StoreFixture();
        const string Metadata = "{\"note\":\"café <b> & 😀 'q'\",\"n\":1}";
        var created = await f.Store.CreateAsync(Docs.New(metadata: Metadata));
        Assert.Equal(Metadata, created.Metadata);
        Assert.Equal(Metadata, (await f.Store.GetAsync(created.Id))!.Metadata);
        Assert.Equal(Metadata, (await f.Store.GetVersionAsync(created.Id, 1))!.Metadata);
        var updated = await f.Store.UpdateAsync(created.Id, new DocumentUpdate { Metadata = "{\"k\":\"ü\"}" });
        Assert.Equal("{\"k\":\"ü\"}", (await f.Store.GetAsync(updated.Id))!.Metadata);
        var found = await f.Store.ListAsync(new ListQuery { Metadata = [MetadataFilter.Equal("k", "ü")] });
        Assert.Equal(updated.Id, Assert.Single(found.Items).Id);
    }

    [Fact]
    public async Task Get_returns_null_for_missing_ids_and_uuids()
    {
        await using var f = new StoreFixture();
        Assert.Null(await f.Store.GetAsync(12345));
        Assert.Null(await f.Store.GetByUuidAsync(Guid.CreateVersion7()));
    }

    [Fact]
    public async Task Update_changes_only_given_fields_and_bumps_version()
    {
        await using var f = new StoreFixture();
        var doc = await f.Store.CreateAsync(Docs.New(tags: ["a", "b"], metadata: "{\"k\":1}"));
        var updated = await f.Store.UpdateAsync(doc.Id, new DocumentUpdate { Content = "New content", Tags = ["b", "c"] });

        Assert.Equal(2, updated.Version);
        Assert.Equal(doc.Title, updated.Title);
        Assert.Equal("New content", updated.Content);
        Assert.Equal(["b", "c"], updated.Tags);
        Assert.Equal("{\"k\":1}", updated.Metadata);
        Assert.NotEqual(doc.ContentHash, updated.ContentHash);
        Assert.True(updated.UpdatedAt >= doc.UpdatedAt);
        Assert.Equal(doc.CreatedAt, updated.CreatedAt);
        Assert.Equal(updated, await f.Store.GetAsync(doc.Id));
        Assert.Equal(0, f.Count("document_tags", $"document_id = {doc.Id} AND tag = 'a'"));
        Assert.Equal(1, f.Count("document_tags", $"document_id = {doc.Id} AND tag = 'c'"));
    }

    [Fact]
    public async Task Update_that_changes_nothing_keeps_the_version()
    {
        await using var f = new StoreFixture();
        var doc = await f.Store.CreateAsync(Docs.New());
        var same = await f.Store.UpdateAsync(doc.Id, new DocumentUpdate { Title = doc.Title, Content = doc.Content });
        Assert.Equal(1, same.Version);
        Assert.Equal(0, f.Count("document_versions"));
        Assert.Equal(1, f.Count("audit_log"));
    }

    [Fact]
    public async Task Update_clears_language_and_source_path_with_empty_string()
    {
        await using var f = new StoreFixture();
        var doc = await f.Store.CreateAsync(new NewDocument { Title = "t", Type = "note", Content = "c", Language = "en", SourcePath = "/x" });
        var updated = await f.Store.UpdateAsync(doc.Id, new DocumentUpdate { Language = string.Empty, SourcePath = string.Empty });
        Assert.Null(updated.Language);
        Assert.Null(updated.SourcePath);
    }

    [Fact]
    public async Task Update_of_missing_document_throws_not_found_and_writes_nothing()
    {
        await using var f = new StoreFixture();
        var e = await Assert.ThrowsAsync<DocumentNotFoundException>(() => f.Store.UpdateAsync(99, new DocumentUpdate { Title = "x" }));
        Assert.Equal(99, e.DocumentId);
        Assert.Equal(0, f.Count("documents"));
    }

    [Fact]
    public async Task Soft_delete_hides_the_document_but_keeps_history()
    {
        await using var f = new StoreFixture();
        var doc = await f.Store.CreateAsync(Docs.New());
        Assert.True(await f.Store.DeleteAsync(doc.Id));
        Assert.Null(await f.Store.GetAsync(doc.Id));
        Assert.Null(await f.Store.GetByUuidAsync(doc.Uuid));
        Assert.Empty(await f.Store.GetManyAsync([doc.Id]));
        Assert.False(await f.Store.DeleteAsync(doc.Id));
        Assert.Equal(1, f.Count("documents", "status = 3 AND version = 2"));
        Assert.Equal(2, (await f.Store.GetVersionsAsync(doc.Id)).Count);
        await Assert.ThrowsAsync<DocumentNotFoundException>(() => f.Store.UpdateAsync(doc.Id, new DocumentUpdate { Title = "x" }));
    }

    [Fact]
    public async Task Hard_delete_removes_document_versions_tags_and_index_but_keeps_audit()
    {
        await using var f = new StoreFixture();
        var doc = await f.Store.CreateAsync(Docs.New(content: "unforgettable zebra", tags: ["t1"]));
        await f.Store.UpdateAsync(doc.Id, new DocumentUpdate { Title = "second" });
        Assert.True(await f.Store.DeleteAsync(doc.Id, DeleteMode.Hard));

        Assert.Equal(0, f.Count("documents"));
        Assert.Equal(0, f.Count("document_versions"));
        Assert.Equal(0, f.Count("document_tags"));
        Assert.Equal(0, f.Count("documents_fts", "documents_fts MATCH 'zebra'"));
        var audit = await f.Store.GetAuditLogAsync(new AuditQuery { DocumentId = doc.Id });
        Assert.Equal([AuditOperation.HardDelete, AuditOperation.Update, AuditOperation.Create], audit.Items.Select(a => a.Operation));
        Assert.False(await f.Store.DeleteAsync(doc.Id, DeleteMode.Hard));
        Assert.Equal("ok", f.IntegrityCheck());
    }

    [Fact]
    public async Task Get_many_uses_input_order_skips_missing_and_duplicates()
    {
        await using var f = new StoreFixture();
        var docs = await f.Store.CreateManyAsync(Enumerable.Range(0, 5).Select(i => Docs.New(title: "d" + i)));
        var ids = new[] { docs[3].Id, 999, docs[0].Id, docs[3].Id, docs[1].Id };
        var many = await f.Store.GetManyAsync(ids);
        Assert.Equal([docs[3].Id, docs[0].Id, docs[1].Id], many.Select(d => d.Id));
        Assert.Equal(docs[0], many[1]);
        Assert.Empty(await f.Store.GetManyAsync([]));
        await Assert.ThrowsAsync<ArgumentException>(() => f.Store.GetManyAsync(Enumerable.Range(0, 10_001).Select(i => (long)i)));
    }

    [Fact]
    public async Task Reopen_after_dispose_finds_everything()
    {
        await using var f = new StoreFixture();
        var docs = await f.Store.CreateManyAsync(Enumerable.Range(0, 20).Select(i => Docs.New(title: "doc " + i, content: "text number " + i)));
        var updated = await f.Store.UpdateAsync(docs[5].Id, new DocumentUpdate { Content = "changed" });
        await f.Store.DeleteAsync(docs[6].Id);
        await f.ReopenAsync();

        var all = await f.Store.GetManyAsync(docs.Select(d => d.Id));
        Assert.Equal(19, all.Count);
        Assert.Equal(updated, await f.Store.GetAsync(docs[5].Id));
        Assert.Equal(docs[7], await f.Store.GetAsync(docs[7].Id));
        Assert.Equal(1, (await f.Store.SearchAsync(new SearchQuery { Text = "changed" })).TotalCount);
        Assert.Equal(22, (await f.Store.GetAuditLogAsync(new AuditQuery())).TotalCount);
    }

    [Fact]
    public async Task Operations_after_dispose_throw_object_disposed()
    {
        var f = new StoreFixture();
        await f.Store.DisposeAsync();
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await f.Store.GetAsync(1));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => f.Store.CreateAsync(Docs.New()));
        await f.DisposeAsync();
    }

    [Fact]
    public async Task Ids_of_hard_deleted_documents_are_never_reused()
    {
        await using var f = new StoreFixture();
        var last = await f.Store.CreateAsync(Docs.New());
        await f.Store.DeleteAsync(last.Id, DeleteMode.Hard);
        await f.ReopenAsync();
        var next = await f.Store.CreateAsync(Docs.New());
        Assert.True(next.Id > last.Id);
    }
}
