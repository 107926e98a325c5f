using DocStore.Fast;

namespace DocStore.TestHost;

/// <summary>
/// A second instance in a process of its own: opens an <see cref="OptimizedStorageSystem"/> on the given file or PostgreSQL connection string
/// and runs one command per line of standard input, answering one line each ("ok ..." or "error ...").
/// Commands: <c>create TITLE CONTENT</c>, <c>update ID CONTENT [EXPECTED]</c>, <c>delete ID soft|hard</c>,
/// <c>get ID</c>, <c>exit</c>. It prints "ready" once the store is open.
/// </summary>
internal static class StoreServer
{
    public static async Task<int> RunAsync(string[] args)
    {
        var postgres = CrashCheck.IsPostgreSql(args[0]);
        await using var store = new OptimizedStorageSystem(new OptimizedStorageOptions
        {
            Engine = postgres ? DocStoreEngine.PostgreSql : DocStoreEngine.Sqlite,
            DatabasePath = postgres ? string.Empty : args[0],
            ConnectionString = postgres ? args[0] : null,
        });
        Console.WriteLine("ready");
        while (Console.ReadLine() is { } line)
        {
            var parts = line.Split(' ');
            try
            {
                var answer = parts[0] switch
                {
                    "create" => Created(await store.CreateAsync(new NewDocument { Title = parts[1], Type = "note", Content = parts[2] })),
                    "update" => Created(await store.UpdateAsync(long.Parse(parts[1]), new DocumentUpdate { Content = parts[2], ExpectedVersion = parts.Length > 3 ? int.Parse(parts[3]) : null })),
                    "delete" => "ok " + await store.DeleteAsync(long.Parse(parts[1]), parts[2] == "hard" ? DeleteMode.Hard : DeleteMode.Soft),
                    "get" => (await store.GetAsync(long.Parse(parts[1]))) is { } d ? Created(d) : "ok null",
                    "exit" => null,
                    _ => "error unknown command",
                };
                if (answer is null)
                {
                    return 0;
                }

                Console.WriteLine(answer);
            }
            catch (VersionConflictException e)
            {
                Console.WriteLine($"error conflict {e.ActualVersion}");
            }
            catch (DocStoreException e)
            {
                Console.WriteLine("error " + e.GetType().Name + ": " + e.Message.Replace('\n', ' '));
            }
        }

        return 0;
    }

    private static string Created(Document d) => $"ok {d.Id} {d.Version} {d.Content}";
}
