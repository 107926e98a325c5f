using DocStore.Fast;

namespace DocStore.TestHost;

/// <summary>
/// The process a crash campaign kills: four concurrent writers (so writes commit in groups) write at
/// random (creates, batch creates, updates with expected versions, soft and hard deletes, restores) and
/// print one "ack" line per write only after its call has returned. Each writer keeps to the documents it
/// created, so each document has at most one write under way and its versions are known exactly.
/// Arguments: TARGET SEED normal|full [KEY-PASSPHRASE], TARGET a file or a PostgreSQL connection string (<see cref="CrashCheck.IsPostgreSql"/>).
/// </summary>
internal static class CrashWriter
{
    private const int Writers = 4;
    private static readonly Lock Output = new();

    public static async Task<int> RunAsync(string[] args)
    {
        var key = args.Length > 3 ? CrashCheck.Key(args[3]) : null;
        var seed = int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture);
        var postgres = CrashCheck.IsPostgreSql(args[0]);
        await using var store = new OptimizedStorageSystem(new OptimizedStorageOptions
        {
            Engine = postgres ? DocStoreEngine.PostgreSql : DocStoreEngine.Sqlite,
            DatabasePath = postgres ? string.Empty : args[0],
            ConnectionString = postgres ? args[0] : null,
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
        Print("ready");
        await Task.WhenAll(Enumerable.Range(0, Writers).Select(w => Task.Run(() => WriteAsync(
            store,
            new Random(seed * 31 + w),
            live.Where(id => id % Writers == w).ToList(),
            deleted.Where(id => id % Writers == w).ToList()))));
        return 0;
    }

    private static async Task WriteAsync(IDocumentStore store, Random random, List<long> live, List<long> deleted)
    {
        while (true)
        {
            await OneWriteAsync(store, random, live, deleted);
        }
    }

    private static async Task OneWriteAsync(IDocumentStore store, Random random, List<long> live, List<long> deleted)
    {
        long Pick(List<long> from)
        {
            lock (from)
            {
                return from.Count == 0 ? 0 : from[random.Next(from.Count)];
            }
        }

        int count;
        lock (live)
        {
            count = live.Count;
        }

        var op = count < 5 ? 0 : random.Next(10);
        switch (op)
        {
            case 0 or 1:
            {
                // The ids a writer creates are its own from now on.
                var created = await store.CreateAsync(NewDocument(random));
                Ack("create", created);
                Add(live, created.Id);
                break;
            }

            case 2:
                foreach (var created in await store.CreateManyAsync(Enumerable.Range(0, 3).Select(_ => NewDocument(random))))
                {
                    Ack("create", created);
                    Add(live, created.Id);
                }

                break;
            case 3 or 4 or 5:
            {
                var id = Pick(live);
                var current = (await store.GetAsync(id))!;
                Ack("update", await store.UpdateAsync(id, new DocumentUpdate { Content = Content(random), Tags = ["t" + random.Next(5)], ExpectedVersion = current.Version }));

                break;
            }

            case 6:
            {
                var id = Pick(live);
                var current = (await store.GetAsync(id))!;
                await store.DeleteAsync(id);
                Print($"ack delete {id} {current.Version + 1}");
                Move(live, deleted, id);

                break;
            }

            case 7:
            {
                var id = Pick(live);

                // Announced first: if the kill lands after its commit and before "ack", the document is rightly gone.
                Print($"will purge {id}");
                await store.DeleteAsync(id, DeleteMode.Hard);
                Print($"ack purge {id}");
                Remove(live, id);

                break;
            }

            default:
            {
                var fromDeleted = random.Next(2) == 0;
                var id = Pick(fromDeleted ? deleted : live);
                if (id != 0)
                {
                    Ack("restore", await store.RestoreVersionAsync(id, 1));
                    if (fromDeleted)
                    {
                        Move(deleted, live, id);
                    }
                }

                break;
            }
        }
    }

    private static void Add(List<long> list, long id)
    {
        lock (list)
        {
            list.Add(id);
        }
    }

    private static void Remove(List<long> list, long id)
    {
        lock (list)
        {
            list.Remove(id);
        }
    }

    private static void Move(List<long> from, List<long> to, long id)
    {
        Remove(from, id);
        Add(to, id);
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

    private static void Ack(string what, Document d) => Print($"ack {what} {d.Id} {d.Version} {d.ContentHash}");

    private static void Print(string line)
    {
        lock (Output)
        {
            Console.WriteLine(line);
        }
    }
}
