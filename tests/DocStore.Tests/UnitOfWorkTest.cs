using DocStore.Data;
using DocStore.Tests.Infrastructure;
using DocStore.Writes;
using Microsoft.EntityFrameworkCore;

namespace DocStore.Tests;

/// <summary>
/// The write path as EF Core units of work: a write that fails inside a group is rolled back to its savepoint and its
/// entities leave the change tracker, while the group's other writes commit; the commit hooks run once per commit, and
/// a group whose COMMIT fails changes no cache entry and leaves no audit row of a write that succeeded in it.
/// </summary>
public sealed class UnitOfWorkTest
{
    [Fact]
    public async Task A_failing_write_in_a_group_leaves_its_entities_detached_and_the_others_committed()
    {
        await using var f = new StoreFixture();
        var release = new TaskCompletionSource();
        var held = f.Store.HoldWriterAsync(release.Task);
        var before = f.Store.CreateAsync(Docs.New(title: "before", content: "alpha"));
        DocumentEntity? failed = null;
        var failing = f.Store.WriteForTestsAsync<bool>(work =>
        {
            failed = DocumentWriter.Add(Validated("failing"), work);
            work.Save();
            throw new InvalidOperationException("the write fails after its entities were saved in its savepoint");
        });
        var seen = f.Store.WriteForTestsAsync(work => (work.Db.Entry(failed!).State, work.Db.ChangeTracker.Entries().Count()));
        var after = f.Store.CreateAsync(Docs.New(title: "after", content: "omega"));
        release.SetResult();
        await held;

        await Assert.ThrowsAsync<InvalidOperationException>(() => failing);
        var (state, tracked) = await seen;
        Assert.Equal(EntityState.Detached, state);
        Assert.Equal(0, tracked);
        Assert.Equal(1, f.Count("documents", "title = 'before'"));
        Assert.Equal(1, f.Count("documents", "title = 'after'"));
        Assert.Equal(0, f.Count("documents", "title = 'failing'"));
        Assert.Equal(0, f.Count("document_tags", "tag = 'failing-tag'"));
        await Task.WhenAll(before, after);
        Assert.Equal(2, f.Count("documents_fts", "documents_fts MATCH 'alpha OR omega'"));
        Assert.Equal(1, f.Count("audit_log", "outcome = 'Failed' AND error LIKE '%savepoint%'"));
        Assert.Equal("ok", f.IntegrityCheck());
        f.FtsIntegrityCheck();
    }

    [Fact]
    public async Task Commit_hooks_run_once_per_commit_and_a_failed_commit_changes_no_cache_entry_and_no_audit_row()
    {
        await using var f = new OptimizedFixture();
        var kept = await f.Store.CreateAsync(Docs.New(title: "kept", content: "first words"));
        Assert.Equal(1, (await f.Store.GetAsync(kept.Id))!.Version);
        var observer = new CountingObserver(f.Store.Inner.WriteObserver!);
        f.Store.Inner.WriteObserver = observer;

        // A group of three writes commits once: one close before COMMIT, one reopen after.
        var release = new TaskCompletionSource();
        var held = f.Store.Inner.HoldWriterAsync(release.Task);
        var writes = Enumerable.Range(0, 3).Select(i => f.Store.CreateAsync(Docs.New(title: "grouped " + i))).ToList();
        release.SetResult();
        await held;
        await Task.WhenAll(writes);
        Assert.Equal((1, 1, 0), observer.Calls);

        // A group whose COMMIT fails: a deferred foreign-key violation is found by SQLite at COMMIT, after the hooks closed the caches.
        var groupsBefore = f.Store.Inner.WriteGroups;
        var successRows = CountSuccessRows(f.Path);
        release = new TaskCompletionSource();
        held = f.Store.Inner.HoldWriterAsync(release.Task);
        var update = f.Store.UpdateAsync(kept.Id, new DocumentUpdate { Content = "second words" });
        var violation = f.Store.Inner.WriteForTestsAsync(work =>
        {
            work.Db.Database.ExecuteSqlRaw("PRAGMA defer_foreign_keys = ON");
            work.Db.Database.ExecuteSqlRaw("INSERT INTO document_tags (tag, document_id) VALUES ('orphan', 987654321)");
            work.Record(AuditOperation.Update, new DocumentChange(kept.Id, 99, DocumentChangeKind.Updated));
            return true;
        });
        release.SetResult();
        await held;

        var error = await Assert.ThrowsAsync<StorageException>(() => update);
        Assert.Equal(StorageErrorKind.Other, error.Kind);
        await Assert.ThrowsAsync<StorageException>(() => violation);
        Assert.Equal((2, 2, 1), observer.Calls);
        Assert.Equal(groupsBefore, f.Store.Inner.WriteGroups);
        Assert.Equal(successRows, CountSuccessRows(f.Path));

        // Nothing of the group is stored, and the cache still serves the stored version, then the next write's.
        var cached = await f.Store.GetAsync(kept.Id);
        Assert.Equal(1, cached!.Version);
        Assert.Equal("first words", cached.Content);
        Assert.Equal(1, (await f.Ef.GetAsync(kept.Id))!.Version);
        await f.Store.UpdateAsync(kept.Id, new DocumentUpdate { Content = "third words" });
        Assert.Equal("third words", (await f.Store.GetAsync(kept.Id))!.Content);
        Assert.Equal("ok", f.IntegrityCheck());
    }

    private static long CountSuccessRows(string path) => (long)SqliteProbe.Scalar(path, "SELECT count(*) FROM audit_log WHERE outcome = 'Success'")!;

    private static Sql.StoredContent Validated(string title) =>
        Sql.StoredContent.Create(title, "note", DocumentStatus.Active, "failing content", "text", null, null, ["failing-tag"], "{}");

    /// <summary>Counts the hooks' calls, passing them on to the fast path's own observer.</summary>
    private sealed class CountingObserver(IWriteObserver inner) : IWriteObserver
    {
        private int _before;
        private int _after;
        private int _failed;

        public (int Before, int After, int Failed) Calls => (_before, _after, _failed);

        public void BeforeCommit(IReadOnlyList<DocumentChange> changes, long lastAuditId, long change)
        {
            _before++;
            inner.BeforeCommit(changes, lastAuditId, change);
        }

        public void AfterCommit(IReadOnlyList<DocumentChange> changes, bool committed)
        {
            _after++;
            _failed += committed ? 0 : 1;
            inner.AfterCommit(changes, committed);
        }
    }
}
