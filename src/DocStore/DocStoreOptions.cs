using Microsoft.Extensions.Logging;

namespace DocStore;

/// <summary>Settings of a store. Only <see cref="DatabasePath"/> is required.</summary>
public class DocStoreOptions
{
    /// <summary>The database file. It is created, with its schema, on first open.</summary>
    public required string DatabasePath { get; init; }

    /// <summary>
    /// SQLite's <c>synchronous</c> setting for the writer. <see cref="DurabilityMode.Normal"/> (the
    /// default) is safe from corruption in WAL mode but may lose the last commits on power loss;
    /// <see cref="DurabilityMode.Full"/> syncs on every commit.
    /// </summary>
    public DurabilityMode Durability { get; init; } = DurabilityMode.Normal;

    /// <summary>The largest UTF-8 content accepted, in bytes. Default 10 MiB.</summary>
    public int MaxContentBytes { get; init; } = 10 * 1024 * 1024;

    /// <summary>The largest metadata JSON accepted, in bytes. Default 64 KiB.</summary>
    public int MaxMetadataBytes { get; init; } = 64 * 1024;

    /// <summary>The most tags a document may carry. Default 32.</summary>
    public int MaxTags { get; init; } = 32;

    /// <summary>How long a write waits for a lock held by another process before failing. Default 30 s.</summary>
    public TimeSpan BusyTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Who is writing, recorded in versions and the audit log. Called once per write. Default: the OS user name.</summary>
    public Func<string>? ActorProvider { get; init; }

    /// <summary>
    /// Encrypts the file with SQLCipher (see <see cref="SqlCipher"/>). Every physical connection is
    /// keyed before any other statement; the database, its WAL and its shared-memory file hold no
    /// plaintext. Null (the default) means no encryption.
    /// </summary>
    public EncryptionKey? EncryptionKey { get; init; }

    /// <summary>Where the store logs (failed audit writes, exceptions thrown by change handlers). Default: nowhere.</summary>
    public ILoggerFactory? LoggerFactory { get; init; }
}
