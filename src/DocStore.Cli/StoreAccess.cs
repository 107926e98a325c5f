namespace DocStore.Cli;

/// <summary>
/// Opens the store a command names: a PostgreSQL store from a connection string (--connection, else the DOCSTORE_CONNECTION variable), else
/// the file --store names, its key from --key-file or the DOCSTORE_KEY variable (never from the command line, where
/// other users and shell history would see it). A key makes the process load SQLCipher before its first SQLite
/// call, as the library requires.
/// </summary>
internal sealed class StoreAccess(string path, string? keyFile, string? connection, CliContext context)
{
    private readonly string? _keyFile = keyFile;

    /// <summary>The PostgreSQL connection string, or null for a file.</summary>
    public string? Connection { get; } = connection;

    /// <summary>The file's absolute path (for a file store).</summary>
    public string Path { get; } = System.IO.Path.GetFullPath(path);

    /// <summary>The store's file, or its server and database, for messages.</summary>
    public string Name => Connection is null ? Path : "the PostgreSQL store";

    /// <summary>The key, or null for a plain store.</summary>
    public EncryptionKey? Key { get; } = ReadKey(keyFile, context);

    /// <summary>Opens the store; unless <paramref name="create"/>, a missing file is an error rather than a new store.</summary>
    public LocalStorageSystem Open(bool create = false)
    {
        if (Connection is not null)
        {
            return new LocalStorageSystem(Options(Connection));
        }

        if (!create && !File.Exists(Path))
        {
            throw new FileNotFoundException($"There is no store at {Path} (name one with --store).", Path);
        }

        UseSqlCipherIfKeyed(Key);
        return new LocalStorageSystem(new DocStoreOptions { DatabasePath = Path, EncryptionKey = Key, ActorProvider = Actor });
    }

    /// <summary>Another store named by a file path or a connection string, opened with this one's key file.</summary>
    public StoreAccess Elsewhere(string fileOrConnection) =>
        IsConnectionString(fileOrConnection)
            ? new StoreAccess(Path, _keyFile, fileOrConnection, context)
            : new StoreAccess(fileOrConnection, _keyFile, null, context);

    /// <summary>Whether <paramref name="value"/> reads as a PostgreSQL connection string (it names a host) rather than a file.</summary>
    public static bool IsConnectionString(string value)
    {
        try
        {
            var builder = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = value };
            return builder.ContainsKey("Host") || builder.ContainsKey("Server");
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <summary>The options of a PostgreSQL store, written as the tool's user.</summary>
    public static DocStoreOptions Options(string connection) => new() { Engine = DocStoreEngine.PostgreSql, ConnectionString = connection, ActorProvider = Actor };

    /// <summary>Throws for a command that works on a file only.</summary>
    public void RequireFile(string command)
    {
        if (Connection is not null)
        {
            throw new NotSupportedException($"'{command}' works on a store file; a PostgreSQL store uses the server's own tools for it.");
        }
    }

    private static string Actor() => "cli:" + System.Environment.UserName;

    /// <summary>Loads SQLCipher when a key is in play (process-wide, before any SQLite call).</summary>
    public static void UseSqlCipherIfKeyed(EncryptionKey? key)
    {
        if (key is not null)
        {
            // Idempotent; throws EncryptionUnavailableException (exit code 5) when SQLCipher is not installed.
            SqlCipher.UseSystemLibrary();
        }
    }

    /// <summary>A passphrase from a file (first line, trimmed) or the environment variable; null when neither is set.</summary>
    public static EncryptionKey? ReadKey(string? keyFile, CliContext context)
    {
        string? passphrase;
        if (keyFile is not null)
        {
            if (!File.Exists(keyFile))
            {
                throw new FileNotFoundException($"The key file {keyFile} does not exist.", keyFile);
            }

            passphrase = File.ReadLines(keyFile).FirstOrDefault()?.Trim();
            if (string.IsNullOrEmpty(passphrase))
            {
                throw new EncryptionKeyException($"The key file {keyFile} is empty.");
            }
        }
        else
        {
            passphrase = context.Environment(CliContext.KeyVariable);
        }

        return string.IsNullOrEmpty(passphrase) ? null : EncryptionKey.FromPassphrase(passphrase);
    }
}
