namespace DocStore.TestHost;

/// <summary>Calls every member of <see cref="IDocumentStore"/> once and checks the answers, then disposes the store.</summary>
internal static class StoreTour
{
    public static async Task RunAsync(IDocumentStore store)
    {
        await using (store)
        {
            var a = await store.CreateAsync(new NewDocument { Title = "tour a", Type = "note", Content = "alpha bravo charlie", Tags = ["one"] });
            var many = await store.CreateManyAsync([new NewDocument { Title = "tour b", Type = "note", Content = "delta echo" }, new NewDocument { Title = "tour c", Type = "api", Content = "foxtrot golf" }]);
            a = await store.UpdateAsync(a.Id, new DocumentUpdate { Content = "alpha bravo updated", ExpectedVersion = 1 });
            Check.That((await store.GetAsync(a.Id))?.Version == 2, "get");
            Check.That((await store.GetByUuidAsync(a.Uuid))?.Id == a.Id, "get by uuid");
            Check.That((await store.GetManyAsync([a.Id, many[0].Id, many[1].Id])).Count == 3, "get many");
            Check.That((await store.ListAsync(new ListQuery { Type = "note" })).TotalCount == 2, "list");
            Check.That((await store.SearchAsync(new SearchQuery { Text = "bravo" })).Items.Single().Document.Id == a.Id, "search");
            Check.That((await store.GetVersionsAsync(a.Id)).Count == 2, "versions");
            Check.That((await store.GetVersionAsync(a.Id, 1))?.Content == "alpha bravo charlie", "version");
            Check.That((await store.RestoreVersionAsync(a.Id, 1)).Version == 3, "restore");
            Check.That(await store.DeleteAsync(many[0].Id), "soft delete");
            Check.That(await store.DeleteAsync(many[1].Id, DeleteMode.Hard), "hard delete");
            Check.That((await store.GetAuditLogAsync(new AuditQuery())).TotalCount >= 6, "audit");
            Check.That((await store.GetStatisticsAsync()).DocumentCount == 1, "statistics");
            await store.OptimizeAsync(vacuum: true);
            await store.CheckpointAsync();
        }
    }
}
