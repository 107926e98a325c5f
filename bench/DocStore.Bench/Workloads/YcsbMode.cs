using System.Text;
using DocStore.Bench.Harness;
using DocStore.Bench.Systems;

namespace DocStore.Bench.Workloads;

/// <summary>
/// YCSB core workloads A-F on the document API: A 50/50 read/update, B 95/5, C read only,
/// D 95% read-latest / 5% insert, E 95% short scans (a listing from a start key, up to 100
/// documents) / 5% insert, F 50% read / 50% read-modify-write. Zipfian theta 0.99 where YCSB uses
/// it (scrambled for A, B, C, E, F; latest-skewed for D).
/// </summary>
public static class YcsbMode
{
    private sealed record Mix(string Name, double Read, double Update, double Insert, double Scan, double ReadModifyWrite, bool Latest, string[] Systems);

    public static async Task<List<RunResult>> RunAsync(BenchOptions options, BenchDatabase database, Action<string> log)
    {
        string[] stores = ["ef-baseline", "optimized"];
        // The store with SQLite's own checkpoint threshold (the A/B of SqliteOptions.WalCheckpointPages): only when named in --systems.
        if (options.OnlySystems is { } named && named.Contains("optimized-checkpoint-1000"))
        {
            stores = [.. stores, "optimized-checkpoint-1000"];
        }

        var mixes = new[]
        {
            new Mix("ycsb-a", 0.5, 0.5, 0, 0, 0, false, stores),
            new Mix("ycsb-b", 0.95, 0.05, 0, 0, 0, false, stores),
            new Mix("ycsb-c", 1.0, 0, 0, 0, 0, false, [.. stores, "raw-sqlite", "dictionary"]),
            new Mix("ycsb-d", 0.95, 0, 0.05, 0, 0, true, stores),
            new Mix("ycsb-e", 0, 0, 0.05, 0.95, 0, false, stores),
            new Mix("ycsb-f", 0.5, 0, 0, 0, 0.5, false, stores),
        };

        var initial = database.Ids;
        var createdAt = database.Documents.ToDictionary(d => d.Id, d => d.CreatedAt);
        var zipf = new ScrambledZipfian(initial.Length);
        var results = new List<RunResult>();
        foreach (var mix in mixes.Where(m => options.Runs(m.Name)))
        {
            log($"== {mix.Name}: read {mix.Read:P0}, update {mix.Update:P0}, insert {mix.Insert:P0}, scan {mix.Scan:P0}, read-modify-write {mix.ReadModifyWrite:P0}{(mix.Latest ? ", latest distribution" : string.Empty)}");
            foreach (var name in mix.Systems)
            {
                // Inserted ids are published in order so "latest" readers only pick ids that exist.
                var keys = new long[initial.Length + 1_000_000];
                initial.CopyTo(keys, 0);
                var reserved = (long)initial.Length;
                var published = (long)initial.Length;
                var latest = new ScrambledZipfian(initial.Length, scramble: false);
                var insertIndex = database.DocumentCount + 1_000_000 + (results.Count * 100_000);

                await using var system = SystemFactory.Open(name, database);
                var operation = (Action<int, Random>)((_, r) =>
                {
                    var roll = r.NextDouble();
                    long Key()
                    {
                        if (!mix.Latest)
                        {
                            return initial[zipf.Next(r)];
                        }

                        var count = Volatile.Read(ref published);
                        return keys[Math.Max(0, count - 1 - (latest.Next(r) % count))];
                    }

                    if ((roll -= mix.Read) < 0)
                    {
                        system.Get(Key());
                    }
                    else if ((roll -= mix.Update) < 0)
                    {
                        system.Update(Key(), new DocumentUpdate { Metadata = Field(r) });
                    }
                    else if ((roll -= mix.Insert) < 0)
                    {
                        var id = system.Create(database.NewDocument(Interlocked.Increment(ref insertIndex)));
                        var slot = Interlocked.Increment(ref reserved) - 1;
                        if (slot < keys.Length)
                        {
                            keys[slot] = id;
                            var spinner = default(SpinWait);
                            while (Interlocked.CompareExchange(ref published, slot + 1, slot) != slot)
                            {
                                spinner.SpinOnce();
                            }
                        }
                    }
                    else if ((roll -= mix.Scan) < 0)
                    {
                        var start = initial[zipf.Next(r)];
                        system.List(new ListQuery { CreatedFrom = createdAt[start], OrderBy = DocumentOrder.CreatedAt, Descending = false, PageSize = 1 + r.Next(100) });
                    }
                    else
                    {
                        var id = Key();
                        var document = system.Get(id);
                        system.Update(id, new DocumentUpdate { Metadata = Field(r, document?.Version ?? 0) });
                    }
                });
                var result = ThroughputCell.RunOnce(mix.Name, name, options.Threads, options.Warmup, options.WarmupLimit, options.Duration, operation, log);
                var note = SystemFactory.Note(system);
                results.Add(note is null ? result : result with { Note = note });
            }
        }

        return results;
    }

    private static long _updates;

    /// <summary>
    /// A YCSB-style field update: one 100-character value (the metadata object is replaced whole), numbered so that it
    /// differs from what an earlier system's run wrote (each replays the same random sequence, and an update that
    /// changes nothing writes nothing).
    /// </summary>
    private static string Field(Random random, int seen = 0)
    {
        var value = new StringBuilder(100);
        for (var i = 0; i < 100; i++)
        {
            value.Append((char)('a' + random.Next(26)));
        }

        return $"{{\"field0\":\"{value}\",\"seen\":{seen},\"update\":{Interlocked.Increment(ref _updates)}}}";
    }
}
