using DocStore.Tests.Infrastructure;

namespace DocStore.Tests;

/// <summary>
/// Every write path, failing in the middle of its transaction (a trigger injected into the real file
/// aborts a statement after earlier ones succeeded): nothing is half-written, the failure is audited,
/// the exception is typed, and no change is announced.
/// </summary>
public sealed class WriteFailureTest
{
    private static void InjectFailure(StoreFixture f, string trigger) =>
        f.Scalar($"CREATE TRIGGER injected_failure {trigger} BEGIN SELECT RAISE(ABORT, 'injected failure'); END");

    private static List<DocumentChange> Watch(StoreFixture f)
    {
        var changes = new List<DocumentChange>();
        f.Store.DocumentChanged += (_, e) => changes.AddRange(e.Changes);
        return changes;
    }

    [Fact]
    public async Task Create_failing_after_the_document_insert_leaves_nothing()
    {
        await using var f = new StoreFixture();
        InjectFailure(f, "BEFORE INSERT ON document_tags");
        var changes = Watch(f);
        var e = await Assert.ThrowsAsync<StorageException>(() => f.Store.CreateAsync(Docs.New(content: "phantom words", tags: ["first"])));
        Assert.Contains("injected failure", e.Message, StringComparison.Ordinal);
        Assert.Equal(0, f.Count("documents"));
        Assert.Equal(0, f.Count("document_tags"));
        Assert.Equal(0, f.Count("documents_fts", "documents_fts MATCH 'phantom'"));
        Assert.Equal(1, f.Count("audit_log", "operation = 'Create' AND outcome = 'Failed' AND error LIKE '%injected failure%'"));
        Assert.Equal(0, f.Count("audit_log", "outcome = 'Success'"));
        Assert.Empty(changes);
        Assert.Equal("ok", f.IntegrityCheck());
    }

    [Fact]
    public async Task A_step_failing_after_the_commit_neither_fails_the_committed_writes_nor_stops_the_writer()
    {
        await using var f = new StoreFixture();
        var calls = 0;
        f.Store.Pipeline.IndexChanged = () =>
        {
            if (Interlocked.Increment(ref calls) == 1)
            {
                throw new InvalidOperationException("injected failure after the commit");
            }
        };

        // A hang would be the bug: time-box every call so the test fails instead of waiting forever.
        var first = await f.Store.CreateAsync(Docs.New(title: "first")).WaitAsync(TimeSpan.FromSeconds(30));
        var second = await f.Store.CreateAsync(Docs.New(title: "second")).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(2, calls);
        Assert.Equal("first", (await f.Store.GetAsync(first.Id))!.Title);
        Assert.Equal("second", (await f.Store.GetAsync(second.Id))!.Title);
        Assert.Equal(2, f.Count("audit_log", "operation = 'Create' AND outcome = 'Success'"));
    }

    [Fact]
    public async Task Batch_failing_on_its_last_document_leaves_none_of_them()
    {
        await using var f = new StoreFixture();
        InjectFailure(f, "BEFORE INSERT ON document_tags WHEN new.tag = 'poison'");
        var batch = Enumerable.Range(0, 9).Select(i => Docs.New(title: "doc " + i, tags: ["fine"])).Append(Docs.New(title: "last", tags: ["poison"]));
        await Assert.ThrowsAsync<StorageException>(() => f.Store.CreateManyAsync(batch));
        Assert.Equal(0, f.Count("documents"));
        Assert.Equal(0, f.Count("document_tags"));
    }

    [Fact]
    public async Task Batch_with_one_invalid_document_writes_nothing_and_names_its_index()
    {
        await using var f = new StoreFixture();
        var batch = Enumerable.Range(0, 5).Select(i => Docs.New(title: "doc " + i)).ToList();
        batch.Insert(3, Docs.New(title: ""));
        var e = await Assert.ThrowsAsync<DocumentValidationException>(() => f.Store.CreateManyAsync(batch));
        Assert.Equal("[3].Title", Assert.Single(e.Errors).Field);
        Assert.Equal(0, f.Count("documents"));
    }

    [Fact]
    public async Task Update_failing_mid_transaction_keeps_the_old_version_everywhere()
    {
        await using var f = new StoreFixture();
        var doc = await f.Store.CreateAsync(Docs.New(content: "original words", tags: ["keep"]));
        InjectFailure(f, "BEFORE INSERT ON document_versions");
        var changes = Watch(f);
        await Assert.ThrowsAsync<StorageException>(() => f.Store.UpdateAsync(doc.Id, new DocumentUpdate { Content = "replacement words", Tags = ["new"] }));
        Assert.Equal(doc, await f.Store.GetAsync(doc.Id));
        Assert.Equal(1, f.Count("documents_fts", "documents_fts MATCH 'original'"));
        Assert.Equal(0, f.Count("documents_fts", "documents_fts MATCH 'replacement'"));
        Assert.Equal(1, f.Count("document_tags", "tag = 'keep'"));
        Assert.Equal(1, f.Count("audit_log", "operation = 'Update' AND outcome = 'Failed'"));
        Assert.Empty(changes);
    }

    [Fact]
    public async Task Soft_delete_failing_keeps_the_document_visible()
    {
        await using var f = new StoreFixture();
        var doc = await f.Store.CreateAsync(Docs.New());
        InjectFailure(f, "BEFORE INSERT ON document_versions");
        await Assert.ThrowsAsync<StorageException>(() => f.Store.DeleteAsync(doc.Id));
        Assert.Equal(doc, await f.Store.GetAsync(doc.Id));
        Assert.Equal(1, f.Count("audit_log", "operation = 'Delete' AND outcome = 'Failed'"));
    }

    [Fact]
    public async Task Hard_delete_failing_keeps_document_history_and_index()
    {
        await using var f = new StoreFixture();
        var doc = await f.Store.CreateAsync(Docs.New(content: "durable words", tags: ["x"]));
        InjectFailure(f, "BEFORE DELETE ON document_tags");
        await Assert.ThrowsAsync<StorageException>(() => f.Store.DeleteAsync(doc.Id, DeleteMode.Hard));
        Assert.Equal(doc, await f.Store.GetAsync(doc.Id));
        Assert.Equal(1, f.Count("documents"));
        Assert.Equal(1, f.Count("document_tags"));
        Assert.Equal(1, f.Count("documents_fts", "documents_fts MATCH 'durable'"));
        Assert.Equal(1, f.Count("audit_log", "operation = 'HardDelete' AND outcome = 'Failed'"));
    }

    [Fact]
    public async Task Restore_failing_keeps_the_current_version()
    {
        await using var f = new StoreFixture();
        var doc = await f.Store.CreateAsync(Docs.New(content: "first"));
        var second = await f.Store.UpdateAsync(doc.Id, new DocumentUpdate { Content = "second" });
        InjectFailure(f, "BEFORE INSERT ON document_versions");
        await Assert.ThrowsAsync<StorageException>(() => f.Store.RestoreVersionAsync(doc.Id, 1));
        Assert.Equal(second, await f.Store.GetAsync(doc.Id));
        Assert.Equal(1, f.Count("audit_log", "operation = 'Restore' AND outcome = 'Failed'"));
    }

    [Fact]
    public async Task Restore_of_missing_version_throws_not_found_and_is_audited()
    {
        await using var f = new StoreFixture();
        var doc = await f.Store.CreateAsync(Docs.New());
        var e = await Assert.ThrowsAsync<DocumentNotFoundException>(() => f.Store.RestoreVersionAsync(doc.Id, 7));
        Assert.Equal(7, e.Version);
        await Assert.ThrowsAsync<DocumentNotFoundException>(() => f.Store.RestoreVersionAsync(12345, 1));
        Assert.Equal(2, f.Count("audit_log", "operation = 'Restore' AND outcome = 'NotFound'"));
    }

    [Fact]
    public async Task Audit_log_refuses_updates_and_deletes()
    {
        await using var f = new StoreFixture();
        await f.Store.CreateAsync(Docs.New());
        var e = Assert.Throws<Microsoft.Data.Sqlite.SqliteException>(() => f.Scalar("DELETE FROM audit_log"));
        Assert.Contains("append-only", e.Message, StringComparison.Ordinal);
        Assert.Throws<Microsoft.Data.Sqlite.SqliteException>(() => f.Scalar("UPDATE audit_log SET actor = 'mallory'"));
        Assert.Equal(1, f.Count("audit_log"));
    }

    [Fact]
    public async Task Cancelled_write_leaves_nothing_and_is_audited()
    {
        await using var f = new StoreFixture();
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => f.Store.CreateAsync(Docs.New(), cts.Token));
        Assert.Equal(0, f.Count("documents"));
    }
}
