using DocStore.Bench.Harness;
using DocStore.Bench.Systems;

namespace DocStore.Bench.Workloads;

/// <summary>
/// The compare job: the same workloads, on the same file, for each system, in one process. Reads first, measured in
/// interleaved rounds (see <see cref="MeasureInRounds"/>); then the writes, one cell after another, since they add
/// and change documents.
/// </summary>
public static class CompareMode
{
    /// <param name="Writes">Whether it adds or changes documents (measured after the reads, one cell after another).</param>
    private sealed record Workload(string Name, string Description, int[] Threads, string[] Systems, Action<IBenchSystem>? Prepare, Func<IBenchSystem, Action<int, Random>> Operation, Func<RunResult, RunResult>? Adjust = null, bool Writes = false);

    /// <summary>One cell of a read workload, open for the whole read phase.</summary>
    private sealed record ReadCell(Workload Workload, IBenchSystem System, ThroughputCell Measurement);

    public static async Task<List<RunResult>> RunAsync(BenchOptions options, BenchDatabase database, Action<string> log)
    {
        var ids = database.Ids;
        var random = new Random(options.Seed);
        var hotSet = ids.OrderBy(_ => random.Next()).Take(Math.Min(5_000, ids.Length / 2)).ToArray();
        var zipf = new ScrambledZipfian(ids.Length);
        var types = database.Types;
        var selective = database.SelectiveTerms;
        var common = database.CommonTerms;
        var twoThreads = Math.Min(2, Environment.ProcessorCount) == 1 ? new[] { 1 } : new[] { 1, 2 };
        var nextNew = database.DocumentCount;
        var newDocuments = Enumerable.Range(0, 2_000).Select(i => database.NewDocument(database.DocumentCount + i)).ToArray();

        // The peers (LiteDB, Dapper, EF Core + MemoryCache) run every workload they can do: gets, the listing and writes.
        var peers = SystemFactory.Peers;
        string[] reads = ["ef-baseline", "optimized", "optimized-nocache", "raw-sqlite", "dictionary"];
        string[] cached = [.. reads[..^1], "optimized-uncounted", "bitfaster-lru", "bitfaster-lru-fresh", "dictionary", .. peers];
        string[] uncached = ["ef-baseline", "optimized", "optimized-nommap", "optimized-nocache", "optimized-notrack", "raw-sqlite", "raw-sqlite-nommap", .. peers];
        string[] mixed = ["ef-baseline", "optimized", "optimized-nommap", "optimized-nocache", "raw-sqlite", "raw-sqlite-nommap", "dictionary", .. peers];
        string[] stores = ["ef-baseline", "optimized", "optimized-nocache"];
        string[] listers = [.. stores, .. peers];
        string[] searchers = [.. stores, "raw-sqlite"];
        string[] writers = ["ef-baseline", "optimized", "raw-sqlite", .. peers];
        // SQLite's own checkpoint threshold, the A/B of SqliteOptions.WalCheckpointPages: only when named in --systems.
        string[] checkpointAb = ["optimized-checkpoint-1000", "raw-sqlite-checkpoint-1000"];
        if (options.OnlySystems is { } named && checkpointAb.Any(named.Contains))
        {
            writers = [.. writers, .. checkpointAb];
        }

        if (options.OnPostgreSql)
        {
            // The same workloads on the PostgreSQL copy: the plain store, the fast path with and without its caches,
            // the raw Npgsql floor for every workload, and the dictionary as the bound of a cached get.
            reads = ["pg-ef-baseline", "pg-optimized", "pg-optimized-nocache", "raw-npgsql", "dictionary"];
            cached = reads;
            uncached = ["pg-ef-baseline", "pg-optimized", "pg-optimized-nocache", "pg-optimized-notrack", "raw-npgsql", "raw-npgsql-head"];
            mixed = reads;
            stores = ["pg-ef-baseline", "pg-optimized", "pg-optimized-nocache"];
            listers = [.. stores, "raw-npgsql"];
            searchers = [.. stores, "raw-npgsql"];
            writers = ["pg-ef-baseline", "pg-optimized", "raw-npgsql"];
        }

        const int concurrentWriters = 8;

        var workloads = new List<Workload>
        {
            new("get-cached", $"get by id over a hot set of {hotSet.Length:N0} ids that fits the cache (warmed first)", twoThreads, cached,
                system => { foreach (var id in hotSet) { system.Get(id); } },
                system => (_, r) => system.Get(hotSet[r.Next(hotSet.Length)])),
            new("get-uncached", $"get by id uniform over all {ids.Length:N0} ids, cache cleared first", twoThreads, uncached,
                system => system.ClearCache(),
                system => (_, r) => system.Get(ids[r.Next(ids.Length)])),
            new("get-zipf", "get by id, zipfian ids (theta 0.99)", [options.Threads], mixed,
                null,
                system => (_, r) => system.Get(ids[zipf.Next(r)])),
            new("get-many-10", "10 ids per call, zipfian", [1], reads,
                null,
                system => (_, r) =>
                {
                    var batch = new long[10];
                    for (var i = 0; i < batch.Length; i++)
                    {
                        batch[i] = ids[zipf.Next(r)];
                    }

                    system.GetMany(batch);
                }),
            new("list-by-type", "one page of 20 with total, random type and page 1-5, newest first", twoThreads, listers,
                null,
                system => (_, r) => system.List(new ListQuery { Type = types[r.Next(types.Count)], Page = 1 + r.Next(5), PageSize = 20 })),
            new("search-selective", $"top 10 with BM25 and snippets, one of {selective.Length} terms found in < 1% of documents", [1], searchers,
                null,
                system => (_, r) => system.Search(new SearchQuery { Text = selective[r.Next(selective.Length)], PageSize = 10 })),
            new("search-common", $"top 10 with BM25 and snippets, one of {common.Length} terms found in > 10% of documents", [1], searchers,
                null,
                system => (_, r) => system.Search(new SearchQuery { Text = common[r.Next(common.Length)], PageSize = 10 })),
            new("create-single", "validated, versioned, audited create of one document", [1], writers,
                null,
                system => (_, _) => system.Create(newDocuments[Interlocked.Increment(ref nextNew) % newDocuments.Length]), Writes: true),
            new("create-batch-100", "one transaction of 100 documents (ops/s counts batches)", [1], writers,
                null,
                system => (_, r) => system.CreateMany(newDocuments.AsSpan(r.Next(newDocuments.Length - 100), 100).ToArray()),
                result => result with { Note = $"{result.OpsPerSecond * 100:N0} docs/s" }, Writes: true),
            new("create-concurrent", $"{concurrentWriters} threads each creating one document per call (group commit coalesces them)", [concurrentWriters], writers,
                null,
                system => (_, _) => system.Create(newDocuments[Interlocked.Increment(ref nextNew) % newDocuments.Length]), Writes: true),
            new("update-single", "metadata update of a random document (version row, audit; its full-text entry stays, its text unchanged)", [1], writers,
                null,
                system => (_, r) => system.Update(ids[r.Next(ids.Length)], new DocumentUpdate { Metadata = UpdateMetadata(r) }), Writes: true),
            new("update-concurrent", $"{concurrentWriters} threads updating random documents", [concurrentWriters], writers,
                null,
                system => (_, r) => system.Update(ids[r.Next(ids.Length)], new DocumentUpdate { Metadata = UpdateMetadata(r) }), Writes: true),
        };

        if (options.OnPostgreSql)
        {
            // Measured one after the other (a writer runs only while its own cell does): no writer; a writer of 100
            // updates/s in a database of its own (the load of writing, nothing to keep coherent); the same writer
            // updating zipfian documents of the readers' database.
            workloads.Add(new(
                "get-zipf-instances",
                "get by id, zipfian, one thread on each of two instances on one database: alone, then while a third instance updates 100 documents/s elsewhere, then of theirs",
                [2],
                SystemFactory.InstancePairs,
                null,
                system => (_, r) => system.Get(ids[zipf.Next(r)]),
                Writes: true));
        }

        var chosen = workloads.Where(w => options.Runs(w.Name)).ToList();
        var results = await MeasureInRounds([.. chosen.Where(w => !w.Writes)], options, database, log);
        foreach (var workload in chosen.Where(w => w.Writes))
        {
            log($"== {workload.Name}: {workload.Description}");
            foreach (var threads in workload.Threads)
            {
                foreach (var name in workload.Systems.Where(options.Uses))
                {
                    await using var system = SystemFactory.Open(name, database);
                    workload.Prepare?.Invoke(system);
                    results.Add(Finish(workload, system, ThroughputCell.RunOnce(workload.Name, name, threads, options.Warmup, options.WarmupLimit, options.Duration, workload.Operation(system), log)));
                }
            }
        }

        if (options.Runs("cold-start") && !options.OnPostgreSql)
        {
            log($"== cold-start: a new process opens the file and reads one document ({ColdStartRuns(options)} processes per system)");
            results.AddRange(ColdStart.Run(database, ColdStartRuns(options), log));
        }

        return results;
    }

    /// <summary>
    /// Measures the read workloads in <see cref="BenchOptions.Rounds"/> rounds. Every cell is opened first (its own
    /// system instance, prepared as its workload says, its own threads); each round then measures every cell for its
    /// share of <see cref="BenchOptions.Seconds"/>, in the usual order, and a cell's figure adds its rounds up. Why:
    /// this machine's speed drifts by tens of percent over minutes, and cells measured once, one after another, each
    /// met a different minute: the ratio of two cells of the same build swung from 1.13 to 2.22 between consecutive
    /// runs. In rounds every cell samples the whole run. After each slice a store writes its pending read counts
    /// (<see cref="IBenchSystem.Settle"/>; see <see cref="ThroughputCell"/> for why untimed), so they do not fall into the next cell.
    /// </summary>
    private static async Task<List<RunResult>> MeasureInRounds(IReadOnlyList<Workload> workloads, BenchOptions options, BenchDatabase database, Action<string> log)
    {
        var cells = new List<ReadCell>();
        try
        {
            foreach (var workload in workloads)
            {
                foreach (var threads in workload.Threads)
                {
                    foreach (var name in workload.Systems.Where(options.Uses))
                    {
                        var system = SystemFactory.Open(name, database);
                        try
                        {
                            workload.Prepare?.Invoke(system);
                        }
                        catch
                        {
                            await system.DisposeAsync();
                            throw;
                        }

                        cells.Add(new ReadCell(workload, system, new ThroughputCell(workload.Name, name, threads, workload.Operation(system), system.Settle)));
                    }
                }
            }

            for (var round = 1; round <= options.Rounds; round++)
            {
                Workload? current = null;
                foreach (var cell in cells)
                {
                    if (!ReferenceEquals(cell.Workload, current))
                    {
                        current = cell.Workload;
                        log($"== {current.Name}: {current.Description}{(options.Rounds > 1 ? $" (round {round} of {options.Rounds})" : string.Empty)}");
                    }

                    // The first round warms up until the JIT is done; later rounds find the code compiled.
                    var warmup = round == 1 ? options.Warmup : TimeSpan.FromTicks(Math.Min(options.RoundWarmup.Ticks, options.Warmup.Ticks));
                    cell.Measurement.Measure(warmup, options.WarmupLimit, options.RoundDuration, log);
                }
            }

            return [.. cells.Select(cell => Finish(cell.Workload, cell.System, cell.Measurement.Total))];
        }
        finally
        {
            foreach (var cell in cells)
            {
                cell.Measurement.Dispose();
                await cell.System.DisposeAsync();
            }
        }
    }

    /// <summary>A cell's result with its workload's adjustment and the system's note (cache hit ratios and churn).</summary>
    private static RunResult Finish(Workload workload, IBenchSystem system, RunResult result)
    {
        result = workload.Adjust?.Invoke(result) ?? result;
        var note = SystemFactory.Note(system);
        return note is null ? result : result with { Note = result.Note is null ? note : result.Note + "; " + note };
    }

    private static long _updates;

    // Every thread of every system replays the same random sequence (ThroughputCell seeds by thread), so a value must
    // also differ from what an earlier system's cell wrote: otherwise a later system's update would change nothing.
    private static string UpdateMetadata(Random random) => string.Create(
        System.Globalization.CultureInfo.InvariantCulture,
        $"{{\"touched\":{random.Next()},\"update\":{Interlocked.Increment(ref _updates)}}}");

    private static int ColdStartRuns(BenchOptions options) => options.Quick ? 2 : 15;
}
