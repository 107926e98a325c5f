using DocStore.Tests.Infrastructure;

namespace DocStore.Tests;

/// <summary>
/// Concurrent writes commit together, each in a savepoint of its own: a failing write fails alone, with its
/// own typed exception and audit row, and the others of its group commit. Writes are queued behind a held
/// writer, so they form one group deterministically.
/// </summary>
public sealed class GroupCommitTest
{
    [Fact]
    public async Task Writes_queued_together_commit_in_one_group_and_a_failing_one_fails_alone()
    {
        await using var f = new StoreFixture();
        var existing = await f.Store.CreateAsync(Docs.New(title: "existing", content: "old words"));
        f.Scalar("CREATE TRIGGER injected_failure BEFORE INSERT ON document_tags WHEN new.tag = 'poison' BEGIN SELECT RAISE(ABORT, 'injected failure'); END");
        var announced = new List<DocumentChange>();
        f.Store.DocumentChanged += (_, e) => { lock (announced) { announced.AddRange(e.Changes); } };
        var (groupsBefore, _) = f.Store.WriteGroups;

        var release = new TaskCompletionSource();
        var held = f.Store.HoldWriterAsync(release.Task);
        var good = Enumerable.Range(0, 6).Select(i => f.Store.CreateAsync(Docs.New(title: "good " + i, content: "groupword " + i))).ToList();
        var poisoned = f.Store.CreateAsync(Docs.New(title: "bad", content: "groupword poisoned", tags: ["poison"]));
        var conflict = f.Store.UpdateAsync(existing.Id, new DocumentUpdate { Content = "stale", ExpectedVersion = 7 });
        var missing = f.Store.DeleteAsync(987654);
        var update = f.Store.UpdateAsync(existing.Id, new DocumentUpdate { Content = "new words" });
        var invalid = f.Store.CreateAsync(Docs.New(title: ""));
        release.SetResult();
        await held;

        var created = await Task.WhenAll(good);
        Assert.Contains("injected failure", (await Assert.ThrowsAsync<StorageException>(() => poisoned)).Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<VersionConflictException>(() => conflict);
        Assert.False(await missing);
        Assert.Equal(2, (await update).Version);
        await Assert.ThrowsAsync<DocumentValidationException>(() => invalid);

        // One transaction for the whole group.
        var (groupsAfter, _) = f.Store.WriteGroups;
        Assert.Equal(groupsBefore + 1, groupsAfter);

        Assert.Equal(7, f.Count("documents"));
        Assert.Equal(0, f.Count("documents", "title = 'bad'"));
        Assert.Equal(6, f.Count("documents_fts", "documents_fts MATCH 'groupword'"));
        Assert.Equal(1, f.Count("documents_fts", "documents_fts MATCH 'new'"));
        Assert.Equal(0, f.Count("documents_fts", "documents_fts MATCH 'poisoned'"));
        Assert.Equal(1, f.Count("audit_log", "operation = 'Create' AND outcome = 'Failed' AND error LIKE '%injected failure%'"));
        Assert.Equal(1, f.Count("audit_log", "operation = 'Update' AND outcome = 'Conflict'"));
        Assert.Equal(1, f.Count("audit_log", "operation = 'Create' AND outcome = 'Rejected'"));
        Assert.Equal(6 + 1 + 1, f.Count("audit_log", "outcome = 'Success'"));
        Assert.Equal(created.Select(d => d.Id).Append(existing.Id).Order(), announced.Select(c => c.Id).Order());
        Assert.Equal("ok", f.IntegrityCheck());
        f.FtsIntegrityCheck();
        Assert.True((await f.Store.VerifyAsync()).IsHealthy);
    }

    [Fact]
    public async Task Eight_concurrent_writers_lose_nothing_and_commit_in_fewer_transactions_than_writes()
    {
        await using var f = new StoreFixture();
        var (groupsBefore, writesBefore) = f.Store.WriteGroups;
        var release = new TaskCompletionSource();
        var held = f.Store.HoldWriterAsync(release.Task);
        var writers = Enumerable.Range(0, 8).Select(w => Task.Run(async () =>
        {
            var ids = new List<long>();
            for (var i = 0; i < 25; i++)
            {
                ids.Add((await f.Store.CreateAsync(Docs.New(title: $"w{w} {i}", content: "concurrent " + w))).Id);
            }

            return ids;
        })).ToList();
        release.SetResult();
        await held;
        var ids = (await Task.WhenAll(writers)).SelectMany(x => x).ToList();

        Assert.Equal(200, ids.Distinct().Count());
        Assert.Equal(200, f.Count("documents"));
        var (groupsAfter, writesAfter) = f.Store.WriteGroups;
        Assert.Equal(200, writesAfter - writesBefore);
        Assert.True(groupsAfter - groupsBefore < 200, $"{groupsAfter - groupsBefore} transactions for 200 writes");
        Assert.True((await f.Store.VerifyAsync()).IsHealthy);
    }
}
