using DocStore.Fast;

namespace DocStore.TestHost;

/// <summary>
/// The process a crash campaign kills: writes at random (creates, batch creates, updates with expected
/// versions, soft and hard deletes, restores) and prints one "ack" line per write only after its call has
/// returned. Arguments: PATH SEED normal|full [KEY-PASSPHRASE].
/// </summary>
internal static class CrashWriter
{
    public static async Task<int> RunAsync(string[] args)
    {
        var key = args.Length > 3 ? CrashCheck.Key(args[3]) : null;
        var random = new Random(int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture));
        await using var store = new OptimizedStorageSystem(new OptimizedStorageOptions
        {
            DatabasePath = args[0],
            Durability = args[2] == "full" ? DurabilityMode.Full : DurabilityMode.Normal,
            EncryptionKey = key,
        });
        var live = new List<long>();
        var deleted = new List<long>();
        for (var page = 1; ; page++)
        {
            var docs = await store.ListAsync(new ListQuery { Page = page, PageSize = 1000 });
            live.AddRange(docs.Items.Select(d => d.Id));
            if (docs.Items.Count < 1000)
            {
                break;
            }
        }

        deleted.AddRange((await store.ListAsync(new ListQuery { Status = DocumentStatus.Deleted, PageSize = 1000 })).Items.Select(d => d.Id));
        Console.WriteLine("ready");
        while (true)
        {
            var op = live.Count < 5 ? 0 : random.Next(10);
            switch (op)
            {
                case 0 or 1:
                {
                    var created = await store.CreateAsync(NewDocument(random));
                    Ack("create", created);
                    live.Add(created.Id);
                    break;
                }

                case 2:
                    foreach (var created in await store.CreateManyAsync(Enumerable.Range(0, 3).Select(_ => NewDocument(random))))
                    {
                        Ack("create", created);
                        live.Add(created.Id);
                    }

                    break;
                case 3 or 4 or 5:
                {
                    var id = live[random.Next(live.Count)];
                    var current = (await store.GetAsync(id))!;
                    Ack("update", await store.UpdateAsync(id, new DocumentUpdate { Content = Content(random), Tags = ["t" + random.Next(5)], ExpectedVersion = current.Version }));
                    break;
                }

                case 6:
                {
                    var id = live[random.Next(live.Count)];
                    var current = (await store.GetAsync(id))!;
                    await store.DeleteAsync(id);
                    Console.WriteLine($"ack delete {id} {current.Version + 1}");
                    live.Remove(id);
                    deleted.Add(id);
                    break;
                }

                case 7:
                {
                    var id = live[random.Next(live.Count)];

                    // Announced first: if the kill lands after its commit and before "ack", the document is rightly gone.
                    Console.WriteLine($"will purge {id}");
                    await store.DeleteAsync(id, DeleteMode.Hard);
                    Console.WriteLine($"ack purge {id}");
                    live.Remove(id);
                    break;
                }

                default:
                {
                    var pool = deleted.Count > 0 && random.Next(2) == 0 ? deleted : live;
                    var id = pool[random.Next(pool.Count)];
                    Ack("restore", await store.RestoreVersionAsync(id, 1));
                    if (pool == deleted)
                    {
                        deleted.Remove(id);
                        live.Add(id);
                    }

                    break;
                }
            }
        }
    }

    private static NewDocument NewDocument(Random random) => new()
    {
        Title = "crash " + random.Next(),
        Type = "note",
        Content = Content(random),
        Tags = ["t" + random.Next(5)],
    };

    private static string Content(Random random) =>
        string.Join(' ', Enumerable.Range(0, random.Next(20, 200)).Select(_ => "w" + random.Next(500)));

    private static void Ack(string what, Document d) => Console.WriteLine($"ack {what} {d.Id} {d.Version} {d.ContentHash}");
}
