using DocStore.Bench.Systems;
using DocStore.Bench.Systems.Peers;
using DocStore.Fast;

namespace DocStore.Bench.Workloads;

/// <summary>Opens each system under test on the shared database file.</summary>
public static class SystemFactory
{
    /// <summary>The stores users compare DocStore with, each on its own file holding the same documents (Systems/Peers).</summary>
    public static readonly string[] Peers = ["litedb", "dapper", "efcore-memorycache"];

    /// <summary>The systems of --engine postgresql: the plain and fast stores on the bench's PostgreSQL copy, and the raw Npgsql floor.</summary>
    public static readonly string[] PostgreSql = ["pg-ef-baseline", "pg-optimized", "pg-optimized-nocache", "pg-optimized-notrack", "raw-npgsql", "raw-npgsql-head"];

    /// <summary>Two reader instances on the PostgreSQL copy, alone and while a third instance writes (the price of coherence).</summary>
    public static readonly string[] InstancePairs = ["pg-pair", "pg-pair-writer-elsewhere", "pg-pair-writer"];

    public static readonly string[] All = [.. PostgreSql, .. InstancePairs, "ef-baseline", "optimized", "optimized-nommap", "optimized-nocache", "optimized-notrack", "optimized-uncounted", "optimized-checkpoint-1000", "raw-sqlite", "raw-sqlite-nommap", "raw-sqlite-checkpoint-1000", "bitfaster-lru", "bitfaster-lru-fresh", "dictionary", .. Peers];

    public static IBenchSystem Open(string name, BenchDatabase database) => name switch
    {
        "ef-baseline" => new StoreSystem(name, new LocalStorageSystem(new DocStoreOptions { DatabasePath = database.Path, ActorProvider = () => "bench", EncryptionKey = database.Key })),
        "optimized" => Optimized(name, database),
        // The defaults with mmap off (the default before it was measured again on today's schema).
        "optimized-nommap" => Optimized(name, database, mmapSizeBytes: 0),
        // L1 and the result cache off: every get reads SQLite.
        "optimized-nocache" => Optimized(name, database, caches: false),
        // optimized-nocache without access tracking: what counting reads costs an uncached get.
        "optimized-notrack" => Optimized(name, database, caches: false, trackReads: false),
        // The defaults without access tracking: what counting reads costs a cached hit.
        "optimized-uncounted" => Optimized(name, database, trackReads: false),
        // The defaults with SQLite's own checkpoint threshold (the store's default before it was measured): the A/B of SqliteOptions.WalCheckpointPages.
        "optimized-checkpoint-1000" => Optimized(name, database, walCheckpointPages: 1000),
        "raw-sqlite" => new RawSqliteSystem(database.Path, database.Key),
        "raw-sqlite-checkpoint-1000" => new RawSqliteSystem(database.Path, database.Key, walCheckpointPages: 1000, name: name),
        "raw-sqlite-nommap" => new RawSqliteSystem(database.Path, database.Key, mmap: false),
        "bitfaster-lru" or "bitfaster-lru-fresh" => new BitFasterLruSystem(database.Documents, new OptimizedStorageOptions { DatabasePath = database.Path }.CacheCapacity, fresh: name == "bitfaster-lru-fresh"),
        "dictionary" => new DictionarySystem(database.Documents),
        "pg-ef-baseline" => new StoreSystem(name, new LocalStorageSystem(PostgreSqlOptions(database))),
        // pg-optimized-notrack: the caches off and no read counting, what counting reads costs an uncached get here.
        "pg-optimized" or "pg-optimized-nocache" or "pg-optimized-notrack" => new StoreSystem(name, new OptimizedStorageSystem(new OptimizedStorageOptions
        {
            Engine = DocStoreEngine.PostgreSql,
            ConnectionString = PostgreSqlOptions(database).ConnectionString,
            ActorProvider = () => "bench",
            CacheCapacity = name == "pg-optimized" ? new OptimizedStorageOptions().CacheCapacity : 0,
            ResultCacheEntries = name == "pg-optimized" ? new OptimizedStorageOptions().ResultCacheEntries : 0,
            EnableAccessTracking = name != "pg-optimized-notrack",
        })),
        "raw-npgsql" => new RawNpgsqlSystem(PostgreSqlOptions(database).ConnectionString!),
        "raw-npgsql-head" => new RawNpgsqlSystem(PostgreSqlOptions(database).ConnectionString!, readHead: true),
        "pg-pair" => new InstancePairSystem(name, PostgreSqlOptions(database).ConnectionString!, database.Ids, writesPerSecond: 0),
        "pg-pair-writer" => new InstancePairSystem(name, PostgreSqlOptions(database).ConnectionString!, database.Ids, writesPerSecond: 100),
        "pg-pair-writer-elsewhere" => new InstancePairSystem(name, PostgreSqlOptions(database).ConnectionString!, database.Ids, writesPerSecond: 100, writeElsewhere: true),
        "litedb" => new LiteDbSystem(database),
        "dapper" => new DapperSystem(database),
        // As many cached documents as the store's L1 holds by default.
        "efcore-memorycache" => new EfCoreCacheSystem(database, new OptimizedStorageOptions { DatabasePath = database.Path }.CacheCapacity),
        _ => throw new ArgumentException($"Unknown system '{name}'."),
    };

    private static DocStoreOptions PostgreSqlOptions(BenchDatabase database) => new()
    {
        Engine = DocStoreEngine.PostgreSql,
        ConnectionString = database.PostgresConnection ?? throw new ArgumentException("The PostgreSQL systems run with --engine postgresql."),
        ActorProvider = () => "bench",
    };

    /// <summary>The fast path with the library's defaults except where a bench system names a difference.</summary>
    private static StoreSystem Optimized(string name, BenchDatabase database, bool caches = true, bool trackReads = true, long? mmapSizeBytes = null, int? walCheckpointPages = null)
    {
        var defaults = new OptimizedStorageOptions { DatabasePath = database.Path, ActorProvider = () => "bench", EncryptionKey = database.Key };
        return new(name, new OptimizedStorageSystem(new OptimizedStorageOptions
        {
            DatabasePath = defaults.DatabasePath,
            ActorProvider = defaults.ActorProvider,
            EncryptionKey = defaults.EncryptionKey,
            CacheCapacity = caches ? defaults.CacheCapacity : 0,
            ResultCacheEntries = caches ? defaults.ResultCacheEntries : 0,
            EnableAccessTracking = trackReads,
            Sqlite = new SqliteOptions
            {
                MmapSizeBytes = mmapSizeBytes ?? defaults.Sqlite.MmapSizeBytes,
                WalCheckpointPages = walCheckpointPages ?? defaults.Sqlite.WalCheckpointPages,
            },
        }));
    }

    /// <summary>Cache and result-cache hit ratios (and L1's churn) of an optimized system, for the report's note column.</summary>
    public static string? Note(IBenchSystem system)
    {
        // What a peer does not do that the store does on every write (and, for Dapper, every read).
        switch (system.Name)
        {
            case "litedb": return "LiteDB: no full-text index, history, audit or validation; calls serialised (LiteDB#2146)";
            case "dapper": return "Dapper: no cache, full-text index, history, audit or validation";
            case "efcore-memorycache": return "EF Core + MemoryCache: no full-text index, history, audit or validation; listings not cached";
        }

        if (system is InstancePairSystem pair)
        {
            return pair.Note();
        }

        var parts = new List<string>();

        // Group commit at work: how many writes shared each transaction of the cell.
        var local = (system as StoreSystem)?.Store switch
        {
            LocalStorageSystem plain => plain,
            OptimizedStorageSystem fast => fast.Inner,
            _ => null,
        };
        if (local?.WriteGroups is { Groups: > 0 } groups)
        {
            parts.Add($"{(double)groups.Writes / groups.Groups:N1} writes per commit");
        }

        if (system is not StoreSystem { Store: OptimizedStorageSystem optimized })
        {
            return parts.Count == 0 ? null : string.Join(", ", parts);
        }

        var stats = optimized.GetFastPathStatistics();
        if (stats.CacheHits + stats.CacheMisses > 0)
        {
            parts.Add($"L1 hits {stats.CacheHitRatio:P1}");
        }

        // A full cache's churn: what left to make room.
        if (stats.CacheEvictions > 0)
        {
            parts.Add($"evicted {stats.CacheEvictions:N0}");
        }

        if (stats.ResultCacheHits > 0)
        {
            parts.Add($"result-cache hits {stats.ResultCacheHits:N0}");
        }

        if (stats.TrackingFailedFlushes > 0)
        {
            parts.Add($"tracking failed writes {stats.TrackingFailedFlushes:N0}");
        }

        return parts.Count == 0 ? null : string.Join(", ", parts);
    }
}
