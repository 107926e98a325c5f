using DocStore.Fast;
using Microsoft.Extensions.Logging;

namespace DocStore.Hosting;

/// <summary>
/// The settings <c>services.AddDocStore(...)</c>
/// binds from configuration (section <c>DocStore</c> by default) and validates at start-up. Mutable with
/// public setters, as the options pattern and the configuration binder need; the store itself is opened
/// with the immutable <see cref="OptimizedStorageOptions"/> built from them.
/// </summary>
public sealed class DocStoreHostOptions
{
    /// <summary>The configuration section <c>AddDocStore</c> reads when given the root configuration.</summary>
    public const string SectionName = "DocStore";

    /// <summary>The database engine: <c>Sqlite</c> (the default, one file) or <c>PostgreSql</c> (needs the DocStore.PostgreSql package).</summary>
    public DocStoreEngine Engine { get; set; } = DocStoreEngine.Sqlite;

    /// <summary>Path of the database file (required by the Sqlite engine). A relative path is taken from the host's content root; the folder is created when missing.</summary>
    public string DatabasePath { get; set; } = string.Empty;

    /// <summary>The PostgreSQL connection string (required by the PostgreSql engine), e.g. <c>Host=db;Database=notes;Username=app</c>.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Serve reads from the fast path (L1 cache, pooled prepared reads). Can be switched at run time on <see cref="OptimizedStorageSystem.FastPathEnabled"/>.</summary>
    public bool EnableFastPath { get; set; } = true;

    /// <summary>How hard commits are synced (see <see cref="DocStoreOptions.Durability"/>).</summary>
    public DurabilityMode Durability { get; set; } = DurabilityMode.Normal;

    /// <summary>Documents the L1 cache holds (0 turns it off).</summary>
    public int CacheCapacity { get; set; } = 10_000;

    /// <summary>List and search results the result cache holds (0 turns it off).</summary>
    public int ResultCacheEntries { get; set; } = 1_000;

    /// <summary>Pooled read connections of the fast path.</summary>
    public int PoolSize { get; set; } = 50;

    /// <summary>Largest accepted document content, in UTF-8 bytes.</summary>
    public int MaxContentBytes { get; set; } = 10 * 1024 * 1024;

    /// <summary>How long a call waits for a lock held by another connection or process.</summary>
    public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// A file holding the passphrase of an encrypted store (SQLCipher). The key is read from a file rather
    /// than configuration so that it stays out of settings files and process listings.
    /// </summary>
    public string? EncryptionKeyFile { get; set; }

    /// <summary>Calls that take longer are logged as warnings (zero turns the log off).</summary>
    public TimeSpan SlowOperationThreshold { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>How often the maintenance service checkpoints the write-ahead log (zero turns it off).</summary>
    public TimeSpan CheckpointInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How often the maintenance service optimizes the full-text index and the query planner's statistics (zero turns it off).</summary>
    public TimeSpan OptimizeInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The actor written to audit rows when no <see cref="IDocStoreActorProvider"/> names one.</summary>
    public string DefaultActor { get; set; } = "system";

    /// <summary>Builds the store's options (reads the key file when one is set and <paramref name="readKey"/>).</summary>
    internal OptimizedStorageOptions ToStoreOptions(string contentRoot, ILoggerFactory? loggers, Func<string>? actor, bool readKey = true) => new()
    {
        Engine = Engine,
        DatabasePath = Engine == DocStoreEngine.Sqlite ? ResolvePath(contentRoot) : string.Empty,
        ConnectionString = ConnectionString,
        EnableFastPath = EnableFastPath,
        Durability = Durability,
        CacheCapacity = CacheCapacity,
        ResultCacheEntries = ResultCacheEntries,
        PoolSize = PoolSize,
        MaxContentBytes = MaxContentBytes,
        BusyTimeout = BusyTimeout,
        EncryptionKey = readKey && EncryptionKeyFile is { Length: > 0 } file ? EncryptionKey.FromPassphrase(File.ReadAllText(Path.Combine(contentRoot, file)).Trim()) : null,
        LoggerFactory = loggers,
        ActorProvider = actor,
    };

    /// <summary>The database path, relative paths taken from <paramref name="contentRoot"/>.</summary>
    internal string ResolvePath(string contentRoot) => Path.GetFullPath(Path.Combine(contentRoot, DatabasePath));
}
