using DocStore.Fast;

namespace DocStore.TestHost;

/// <summary>
/// Disposes a store while eight readers and one writer are running, round after
/// round on new files (a web app stopped while requests are in flight). Every call must either complete or end
/// with <see cref="ObjectDisposedException"/> (a write in flight may also fail with a typed DocStore exception),
/// and every create whose call returned must be in the file when it is opened again. A native crash ends the
/// process, which the calling test sees as a non-zero exit code.
/// </summary>
internal static class DisposeUnderLoad
{
    public static async Task<int> RunAsync(string[] args)
    {
        var folder = args[0];
        var rounds = int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture);
        long calls = 0, disposedCalls = 0, acknowledged = 0;
        for (var round = 0; round < rounds; round++)
        {
            var path = Path.Combine(folder, $"round-{round}.db");
            // The rounds take turns: the fast path, the same store with its fast path switched off (reads through EF
            // Core), and the plain LocalStorageSystem, so every read path meets a dispose.
            IDocumentStore store = (round % 3) switch
            {
                0 => new OptimizedStorageSystem(new OptimizedStorageOptions { DatabasePath = path }),
                1 => new OptimizedStorageSystem(new OptimizedStorageOptions { DatabasePath = path }) { FastPathEnabled = false },
                _ => new LocalStorageSystem(new DocStoreOptions { DatabasePath = path }),
            };
            var seed = await store.CreateManyAsync(Enumerable.Range(0, 50).Select(i => new NewDocument
            {
                Title = $"race {i}",
                Type = "note",
                Content = $"race condition number {i}",
            }));
            var ids = seed.Select(d => d.Id).ToArray();
            var created = new System.Collections.Concurrent.ConcurrentBag<long>();
            var unexpected = new System.Collections.Concurrent.ConcurrentQueue<Exception>();

            async Task Loop(Func<int, Task> call)
            {
                for (var i = 0; ; i++)
                {
                    try
                    {
                        await call(i);
                        Interlocked.Increment(ref calls);
                    }
                    catch (ObjectDisposedException)
                    {
                        Interlocked.Increment(ref disposedCalls);
                        return;
                    }
                    catch (Exception e)
                    {
                        unexpected.Enqueue(e);
                        return;
                    }
                }
            }

            var tasks = new List<Task>();
            for (var r = 0; r < 8; r++)
            {
                var kind = r % 4;
                tasks.Add(Task.Run(() => Loop(async i =>
                {
                    switch (kind)
                    {
                        case 0:
                            await store.GetAsync(ids[i % ids.Length]);
                            break;
                        case 1:
                            await store.ListAsync(new ListQuery { PageSize = 10, Page = (i % 5) + 1 });
                            break;
                        case 2:
                            await store.SearchAsync(new SearchQuery { Text = "race" });
                            break;
                        default:
                            await store.GetManyAsync(ids.Skip(i % 40).Take(10));
                            break;
                    }
                })));
            }

            tasks.Add(Task.Run(() => Loop(async i =>
            {
                var document = await store.CreateAsync(new NewDocument { Title = $"written {i}", Type = "note", Content = "race written" });
                created.Add(document.Id);
            })));

            await Task.Delay(200);
            await store.DisposeAsync();
            await Task.WhenAll(tasks).WaitAsync(TimeSpan.FromSeconds(30));

            Check.That(unexpected.IsEmpty, $"round {round}: calls failed with other than ObjectDisposedException: {string.Join("\n", unexpected)}");
            Check.Throws<ObjectDisposedException>(() => store.GetAsync(ids[0]).AsTask().GetAwaiter().GetResult());
            Check.Throws<ObjectDisposedException>(() => store.CreateAsync(new NewDocument { Title = "late", Type = "note", Content = "x" }).GetAwaiter().GetResult());

            await using (var reopened = new LocalStorageSystem(new DocStoreOptions { DatabasePath = path }))
            {
                var present = await reopened.GetManyAsync(created);
                Check.That(present.Count == created.Count, $"round {round}: {created.Count} creates returned, {present.Count} found after reopening");
            }

            acknowledged += created.Count;
            File.Delete(path);
        }

        Console.WriteLine($"ok: {rounds} rounds, {calls} calls completed, {disposedCalls} ended with ObjectDisposedException, {acknowledged} acknowledged creates all found");
        return 0;
    }
}
