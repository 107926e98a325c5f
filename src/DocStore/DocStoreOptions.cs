using Microsoft.Extensions.Logging;

namespace DocStore;

/// <summary>Settings of a store. Only <see cref="DatabasePath"/> is required; every other setting is checked when a store opens.</summary>
public class DocStoreOptions
{
    /// <summary>The largest content a store accepts, whatever <see cref="MaxContentBytes"/> says: 256 MiB.</summary>
    public const int ContentBytesLimit = 256 * 1024 * 1024;

    /// <summary>The database file of the <see cref="DocStoreEngine.Sqlite"/> engine (required there). It is created, with its schema, on first open.</summary>
    public string DatabasePath { get; init; } = string.Empty;

    /// <summary>The database engine: <see cref="DocStoreEngine.Sqlite"/> (the default, one file) or <see cref="DocStoreEngine.PostgreSql"/> (a server, shared by several instances).</summary>
    public DocStoreEngine Engine { get; init; } = DocStoreEngine.Sqlite;

    /// <summary>
    /// The connection string of the <see cref="DocStoreEngine.PostgreSql"/> engine (required there), in Npgsql's form
    /// (<c>Host=…;Database=…;Username=…</c>). Its database must exist; the store creates its schema in it on first open.
    /// </summary>
    public string? ConnectionString { get; init; }

    /// <summary>
    /// SQLite's <c>synchronous</c> setting for the writer. <see cref="DurabilityMode.Normal"/> (the
    /// default) is safe from corruption in WAL mode but may lose the last commits on power loss;
    /// <see cref="DurabilityMode.Full"/> syncs on every commit.
    /// </summary>
    public DurabilityMode Durability { get; init; } = DurabilityMode.Normal;

    /// <summary>The largest UTF-8 content accepted, in bytes: 1 to <see cref="ContentBytesLimit"/>. Default 10 MiB.</summary>
    public int MaxContentBytes { get; init; } = 10 * 1024 * 1024;

    /// <summary>The largest metadata JSON accepted, in bytes: 2 to 16 MiB. Default 64 KiB.</summary>
    public int MaxMetadataBytes { get; init; } = 64 * 1024;

    /// <summary>The most tags a document may carry: 0 to 1,024. Default 32.</summary>
    public int MaxTags { get; init; } = 32;

    /// <summary>How long a write waits for a lock held by another process before failing: zero to one hour. Default 30 s.</summary>
    public TimeSpan BusyTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The SQLite engine's own settings (memory mapping, page cache, full-text merging).</summary>
    public SqliteOptions Sqlite { get; init; } = new();

    /// <summary>The PostgreSQL engine's own settings (cache coherence across instances).</summary>
    public PostgreSqlOptions PostgreSql { get; init; } = new();

    /// <summary>Who is writing, recorded in versions and the audit log. Called once per write. Default: the OS user name.</summary>
    public Func<string>? ActorProvider { get; init; }

    /// <summary>
    /// Encrypts the file with SQLCipher (see <see cref="SqlCipher"/>). Every physical connection is
    /// keyed before any other statement; the database, its WAL and its shared-memory file hold no
    /// plaintext. Null (the default) means no encryption.
    /// </summary>
    public EncryptionKey? EncryptionKey { get; init; }

    /// <summary>Where the store logs (opening, schema upgrades, failed audit writes, exceptions thrown by change handlers). Default: nowhere.</summary>
    public ILoggerFactory? LoggerFactory { get; init; }

    /// <summary>Every setting that is out of range, each as "Option: problem"; empty when all are valid.</summary>
    /// <returns>The problems found.</returns>
    public IReadOnlyList<string> GetValidationErrors()
    {
        var errors = new List<string>();
        AddValidationErrors(errors);
        return errors;
    }

    /// <summary>Throws <see cref="ArgumentException"/> naming every setting that is out of range.</summary>
    /// <exception cref="ArgumentException">A setting is out of range.</exception>
    public void Validate()
    {
        var errors = GetValidationErrors();
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid store options: " + string.Join("; ", errors), errors[0][..errors[0].IndexOf(':', StringComparison.Ordinal)]);
        }
    }

    /// <summary>Adds this class's problems; a derived options class adds its own after calling this.</summary>
    /// <param name="errors">Where to add "Option: problem" lines.</param>
    protected virtual void AddValidationErrors(List<string> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (!Enum.IsDefined(Engine))
        {
            errors.Add($"{nameof(Engine)}: {(int)Engine} is not a DocStoreEngine (Sqlite or PostgreSql)");
        }
        else if (Engine == DocStoreEngine.PostgreSql)
        {
            if (string.IsNullOrWhiteSpace(ConnectionString))
            {
                errors.Add($"{nameof(ConnectionString)}: is required by the PostgreSql engine");
            }
        }
        else if (string.IsNullOrWhiteSpace(DatabasePath))
        {
            errors.Add($"{nameof(DatabasePath)}: is required");
        }
        else if (DatabasePath.Contains('\0', StringComparison.Ordinal))
        {
            errors.Add($"{nameof(DatabasePath)}: must not contain NUL characters");
        }

        if (!Enum.IsDefined(Durability))
        {
            errors.Add($"{nameof(Durability)}: {(int)Durability} is not a DurabilityMode (Normal or Full)");
        }

        Range(errors, nameof(MaxContentBytes), MaxContentBytes, 1, ContentBytesLimit);
        Range(errors, nameof(MaxMetadataBytes), MaxMetadataBytes, 2, 16 * 1024 * 1024);
        Range(errors, nameof(MaxTags), MaxTags, 0, 1024);
        Range(errors, nameof(BusyTimeout), BusyTimeout, TimeSpan.Zero, TimeSpan.FromHours(1));
        if (PostgreSql is null)
        {
            errors.Add($"{nameof(PostgreSql)}: is required");
        }
        else
        {
            Range(errors, "PostgreSql.MaxStaleness", PostgreSql.MaxStaleness, TimeSpan.FromMilliseconds(50), TimeSpan.FromMinutes(1));
        }

        if (Sqlite is null)
        {
            errors.Add($"{nameof(Sqlite)}: is required");
            return;
        }

        if (Sqlite.FullTextMergeInterval != TimeSpan.Zero)
        {
            Range(errors, "Sqlite.FullTextMergeInterval", Sqlite.FullTextMergeInterval, TimeSpan.FromMilliseconds(100), TimeSpan.FromHours(1));
        }

        Range(errors, "Sqlite.MmapSizeBytes", Sqlite.MmapSizeBytes, 0, long.MaxValue);
        Range(errors, "Sqlite.PageCacheKiB", Sqlite.PageCacheKiB, 0, int.MaxValue);
        Range(errors, "Sqlite.WalCheckpointPages", Sqlite.WalCheckpointPages, 100, 1_000_000);
    }

    /// <summary>Adds a problem when <paramref name="value"/> is outside [<paramref name="min"/>, <paramref name="max"/>].</summary>
    /// <typeparam name="T">A comparable setting type.</typeparam>
    /// <param name="errors">Where to add it.</param>
    /// <param name="name">The setting's name.</param>
    /// <param name="value">Its value.</param>
    /// <param name="min">The smallest allowed.</param>
    /// <param name="max">The largest allowed.</param>
    protected static void Range<T>(List<string> errors, string name, T value, T min, T max)
        where T : IComparable<T>
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (value.CompareTo(min) < 0 || value.CompareTo(max) > 0)
        {
            errors.Add($"{name}: {value} is out of range; it must be between {min} and {max}");
        }
    }
}
