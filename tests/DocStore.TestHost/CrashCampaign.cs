using System.Diagnostics;
using System.Globalization;

namespace DocStore.TestHost;

/// <summary>
/// Kills a writer with SIGKILL at random moments, again and again on one file, and checks the file after
/// each kill (<see cref="CrashCheck"/>), as SQLite's own crash testing does. Arguments: DIR KILLS normal|full
/// [encrypted|postgresql=CONNECTION-STRING] [SEED]. With a connection string the writer works on that PostgreSQL
/// database instead of a file in DIR. Prints one summary line; exit code 0 when every check passed.
/// </summary>
internal static class CrashCampaign
{
    public static async Task<int> RunAsync(string[] args)
    {
        var dir = args[0];
        var kills = int.Parse(args[1], CultureInfo.InvariantCulture);
        var durability = args[2];
        var encrypted = args.Length > 3 && args[3] == "encrypted";
        var postgres = args.Length > 3 && args[3].StartsWith("postgresql=", StringComparison.Ordinal) ? args[3]["postgresql=".Length..] : null;
        var seed = args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : 1;
        const string Passphrase = "crash campaign key";
        if (encrypted)
        {
            SqlCipher.UseSystemLibrary();
        }

        var key = encrypted ? CrashCheck.Key(Passphrase) : null;
        var path = postgres ?? Path.Combine(dir, "crash.db");
        var check = new CrashCheck();
        var random = new Random(seed);
        var started = Stopwatch.StartNew();
        for (var kill = 1; kill <= kills; kill++)
        {
            string[] writerArgs = encrypted ? [path, (seed * 1000 + kill).ToString(CultureInfo.InvariantCulture), durability, Passphrase] : [path, (seed * 1000 + kill).ToString(CultureInfo.InvariantCulture), durability];
            using (var writer = ChildProcess.Start("crash-writer", writerArgs))
            {
                if (await WriteThenStopAsync(writer, check, random, stop: () => { }) is { } failure)
                {
                    Console.WriteLine($"FAILED: writer {kill} {failure}");
                    return 1;
                }

                if (writer.Error.Contains("Exception", StringComparison.Ordinal))
                {
                    Console.WriteLine($"FAILED: writer {kill} failed on its own before the kill: {writer.Error}");
                    return 1;
                }
            }

            var problems = await check.CheckAsync(path, key);
            if (problems.Count > 0)
            {
                Console.WriteLine($"FAILED after kill {kill} ({check.Acknowledged} acknowledged writes): " + string.Join("; ", problems.Take(10)));
                return 1;
            }
        }

        // The file takes new writes after the last kill.
        await using (var store = new LocalStorageSystem(CrashCheck.Options(path, key)))
        {
            await store.CreateAsync(new NewDocument { Title = "after the last kill", Type = "note", Content = "still writable" });
        }

        Console.WriteLine($"ok: {kills} kills ({durability}{(encrypted ? ", encrypted" : string.Empty)}{(postgres is null ? string.Empty : ", postgresql")}), {check.Acknowledged} acknowledged writes checked after each, in {started.Elapsed.TotalSeconds:0} s");
        return 0;
    }

    /// <summary>
    /// Drives one writer of a campaign: once it writes (its first write warms up EF Core and the JIT), lets it write for
    /// a random while, then runs <paramref name="stop"/> (a server crash, or nothing) and kills the writer without
    /// warning, mid-write more often than not; every acknowledgement it printed is recorded. Returns why the writer
    /// never wrote, or null.
    /// </summary>
    public static async Task<string?> WriteThenStopAsync(ChildProcess writer, CrashCheck check, Random random, Action stop)
    {
        var ready = await writer.ReadLineAsync(TimeSpan.FromSeconds(60));
        var first = ready == "ready" ? await writer.ReadLineAsync(TimeSpan.FromSeconds(60)) : null;
        if (first is null)
        {
            return $"did not start writing: {ready} {writer.Error}";
        }

        check.Record(first);
        var until = DateTime.UtcNow.AddMilliseconds(random.Next(30, 400));
        while (DateTime.UtcNow < until && await writer.ReadLineAsync(until - DateTime.UtcNow) is { } line)
        {
            check.Record(line);
        }

        stop();
        writer.Kill();
        foreach (var line in await writer.RemainingLinesAsync())
        {
            check.Record(line);
        }

        return null;
    }
}
