using System.Diagnostics;
using System.Globalization;

namespace DocStore.TestHost;

/// <summary>
/// Crashes the PostgreSQL server under a writer, again and again: a cluster of its own, a writer
/// (<see cref="CrashWriter"/>) writing to it, then <c>pg_ctl -m immediate</c> at a random moment (mostly mid-write),
/// the writer killed, the server started again (it recovers from its WAL), and every acknowledged write checked
/// (<see cref="CrashCheck"/>). Arguments: KILLS [SEED]. Prints one summary line; exit code 0 when every check passed.
/// </summary>
internal static class ServerCrashCampaign
{
    public static async Task<int> RunAsync(string[] args)
    {
        var crashes = int.Parse(args[0], CultureInfo.InvariantCulture);
        var seed = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1;
        using var cluster = new PostgresCluster();
        cluster.Start();
        var target = cluster.ConnectionString;
        var check = new CrashCheck();
        var random = new Random(seed);
        var started = Stopwatch.StartNew();
        for (var crash = 1; crash <= crashes; crash++)
        {
            using (var writer = ChildProcess.Start("crash-writer", target, (seed * 1000 + crash).ToString(CultureInfo.InvariantCulture), "normal"))
            {
                // The server goes down under the writer; its calls under way fail, unacknowledged.
                if (await CrashCampaign.WriteThenStopAsync(writer, check, random, cluster.StopImmediately) is { } failure)
                {
                    Console.WriteLine($"FAILED: writer {crash} {failure}");
                    return 1;
                }
            }

            cluster.Start();

            // The check's pooled connections died with the server; Npgsql finds that out only on their next use.
            Npgsql.NpgsqlConnection.ClearAllPools();
            var problems = await check.CheckAsync(target, null);
            if (problems.Count > 0)
            {
                Console.WriteLine($"FAILED after server crash {crash} ({check.Acknowledged} acknowledged writes): " + string.Join("; ", problems.Take(10)));
                return 1;
            }
        }

        await using (var store = new LocalStorageSystem(CrashCheck.Options(target, null)))
        {
            await store.CreateAsync(new NewDocument { Title = "after the last crash", Type = "note", Content = "still writable" });
        }

        Console.WriteLine($"ok: {crashes} server crashes (pg_ctl -m immediate), {check.Acknowledged} acknowledged writes checked after each, in {started.Elapsed.TotalSeconds:0} s");
        return 0;
    }
}
