using System.Diagnostics;

namespace DocStore.Bench.Corpus;

/// <summary>Creates documents through the store's validated batch write, printing progress.</summary>
public static class CorpusLoader
{
    public static async Task LoadAsync(IDocumentStore store, Func<int, NewDocument> document, int count, Action<string> log, int batchSize = 1000)
    {
        var watch = Stopwatch.StartNew();
        var lastReport = TimeSpan.Zero;
        var batch = new List<NewDocument>(batchSize);
        for (var i = 0; i < count; i++)
        {
            batch.Add(document(i));
            if (batch.Count == batchSize || i == count - 1)
            {
                await store.CreateManyAsync(batch);
                batch.Clear();
                if (watch.Elapsed - lastReport > TimeSpan.FromSeconds(2) || i == count - 1)
                {
                    lastReport = watch.Elapsed;
                    log($"  loaded {i + 1,9:N0} / {count:N0} documents  {watch.Elapsed.TotalSeconds,6:N1} s  {(i + 1) / watch.Elapsed.TotalSeconds,8:N0} docs/s");
                }
            }
        }
    }
}
