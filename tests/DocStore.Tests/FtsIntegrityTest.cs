using DocStore.Tests.Infrastructure;

namespace DocStore.Tests;

/// <summary>The write path keeps the external-content FTS5 index exactly in step with the documents table.</summary>
public sealed class FtsIntegrityTest
{
    [Fact]
    public async Task Random_creates_updates_restores_and_deletes_leave_the_index_consistent()
    {
        await using var f = new StoreFixture();
        var random = new Random(11);
        var docs = (await f.Store.CreateManyAsync(Enumerable.Range(0, 60).Select(_ => Docs.Random(random)))).ToList();
        for (var i = 0; i < 200; i++)
        {
            var doc = docs[random.Next(docs.Count)];
            try
            {
                switch (random.Next(6))
                {
                    case 0:
                        await f.Store.UpdateAsync(doc.Id, new DocumentUpdate { Title = "retitled " + i });
                        break;
                    case 1:
                        await f.Store.UpdateAsync(doc.Id, new DocumentUpdate { Tags = Docs.TagPool.Where(_ => random.Next(2) == 0) });
                        break;
                    case 2:
                        await f.Store.UpdateAsync(doc.Id, new DocumentUpdate { Content = "fresh words " + i, Type = "guide" });
                        break;
                    case 3:
                        await f.Store.RestoreVersionAsync(doc.Id, 1);
                        break;
                    case 4:
                        await f.Store.DeleteAsync(doc.Id, random.Next(2) == 0 ? DeleteMode.Soft : DeleteMode.Hard);
                        break;
                    default:
                        docs.Add(await f.Store.CreateAsync(Docs.Random(random)));
                        break;
                }
            }
            catch (DocumentNotFoundException)
            {
            }
        }

        f.FtsIntegrityCheck();
        var live = await f.Store.ListAsync(new ListQuery { PageSize = 1000 });
        var probe = live.Items.First(d => d.Content.StartsWith("fresh words", StringComparison.Ordinal));
        var hits = await f.Store.SearchAsync(new SearchQuery { Text = "fresh", PageSize = 1000 });
        Assert.Contains(hits.Items, h => h.Document.Id == probe.Id);
    }
}
