using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;

namespace DocStore.Sqlite;

/// <summary>Connection strings and per-connection settings, in one place for every connection the store opens.</summary>
internal sealed class StoreConnections
{
    private static readonly byte[] PlaintextHeader = "SQLite format 3\0"u8.ToArray();
    private static readonly object Keyed = new();
    private readonly DocStoreOptions _options;
    private ConditionalWeakTable<SQLitePCL.sqlite3, object> _keyedHandles = new();
    private volatile EncryptionKey? _key;

    public StoreConnections(DocStoreOptions options)
    {
        _options = options;
        _key = options.EncryptionKey;
        var path = Path.GetFullPath(options.DatabasePath);
        // Microsoft.Data.Sqlite retries SQLITE_BUSY for DefaultTimeout seconds, and forever when it is 0: never 0.
        var seconds = Math.Max(1, (int)Math.Ceiling(options.BusyTimeout.TotalSeconds));
        // The writer creates the file, enforces foreign keys and is never pooled; readers never create it and are pooled.
        string Build(bool writer) => new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = writer ? SqliteOpenMode.ReadWriteCreate : SqliteOpenMode.ReadWrite,
            Cache = SqliteCacheMode.Private,
            ForeignKeys = writer ? true : null,
            Pooling = !writer,
            DefaultTimeout = seconds,
        }.ToString();
        WriteConnectionString = Build(writer: true);
        ReadConnectionString = Build(writer: false);
        FullPath = path;
    }

    /// <summary>The current key (null for a plaintext store).</summary>
    public EncryptionKey? Key => _key;

    /// <summary>Whether the store is encrypted (every physical connection is keyed before any other statement).</summary>
    public bool Encrypted => _key is not null;

    /// <summary>The absolute path of the database file.</summary>
    public string FullPath { get; }

    /// <summary>For the single writer (creates the file).</summary>
    public string WriteConnectionString { get; }

    /// <summary>For readers (never creates the file).</summary>
    public string ReadConnectionString { get; }

    /// <summary>Opens the writer connection and applies the writer's pragmas.</summary>
    public SqliteConnection OpenWriter()
    {
        if (_key is not null)
        {
            SqlCipher.EnsureAvailable();
            if (IsPlaintextDatabase(FullPath))
            {
                throw new EncryptionKeyException(
                    "The file is a plaintext (unencrypted) SQLite database, but a key was given. Open it without a key, or encrypt a copy with StoreEncryption.EncryptExistingAsync.");
            }
        }

        var connection = new SqliteConnection(WriteConnectionString);
        try
        {
            connection.Open();
            Configure(connection);
            Db.Execute(connection, WriterPragmas(_options.Durability, _options.BusyTimeout, _options.Sqlite.WalCheckpointPages));
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Opens a connection of its own for maintenance (backup, verify) on the open store's file: read-write,
    /// not pooled, keyed when the store is encrypted. Its open mode allows creating files because databases it
    /// attaches (a backup's target) inherit that mode; the store's own file exists already. The caller disposes it.
    /// </summary>
    public SqliteConnection OpenMaintenance()
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder(ReadConnectionString) { Pooling = false, Mode = SqliteOpenMode.ReadWriteCreate }.ToString());
        try
        {
            connection.Open();
            Configure(connection);
            Db.Execute(connection, $"PRAGMA busy_timeout = {(long)_options.BusyTimeout.TotalMilliseconds}");
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Keys a newly opened connection when the store is encrypted: <c>PRAGMA key</c> first, then a
    /// read that fails at once on a wrong key. Each SQLite handle is keyed once, so connections that
    /// Microsoft.Data.Sqlite pools are not keyed (and, for passphrases, derived) again.
    /// </summary>
    public void Configure(SqliteConnection connection)
    {
        var key = _key;
        if (key is null || connection.Handle is not { } handle || _keyedHandles.TryGetValue(handle, out _))
        {
            return;
        }

        ApplyKey(connection, key);
        _keyedHandles.AddOrUpdate(handle, Keyed);
    }

    /// <summary>After a rekey: remember the new key; handles keyed with the old one are gone (the caller closed them).</summary>
    public void ReplaceKey(EncryptionKey key)
    {
        _key = key;
        _keyedHandles = new ConditionalWeakTable<SQLitePCL.sqlite3, object>();
    }

    public static void ApplyKey(SqliteConnection connection, EncryptionKey key)
    {
        // SQLCipher logs failed decryptions to stderr itself; the typed exception below says it instead.
        // After the key: SQLCipher 4.6's PRAGMA key sets the log level back to WARN.
        Db.Execute(connection, "PRAGMA key = " + key.PragmaValue);
        Db.Execute(connection, "PRAGMA cipher_log_level = NONE");
        try
        {
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT count(*) FROM sqlite_master";
            command.ExecuteScalar();
        }
        catch (SqliteException e) when (e.SqliteErrorCode == SQLitePCL.raw.SQLITE_NOTADB)
        {
            throw new EncryptionKeyException("The encryption key does not open this database: the key is wrong, or the file is not a database. The file was not changed.", e);
        }
    }

    /// <summary>Whether the file starts with SQLite's plaintext header.</summary>
    public static bool IsPlaintextDatabase(string path)
    {
        if (!File.Exists(path))
        {
            return false;
        }

        Span<byte> header = stackalloc byte[16];
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        return stream.Read(header) == 16 && header.SequenceEqual(PlaintextHeader);
    }

    /// <summary>The writer connection's settings (the bench's raw write floor uses the same, so it does the same work).</summary>
    internal static string WriterPragmas(DurabilityMode durability, TimeSpan busyTimeout, int walCheckpointPages) =>
        $"PRAGMA busy_timeout = {(long)busyTimeout.TotalMilliseconds}; PRAGMA synchronous = {(durability == DurabilityMode.Full ? "FULL" : "NORMAL")}; "
        + $"PRAGMA foreign_keys = ON; PRAGMA cache_size = -16384; PRAGMA temp_store = MEMORY; PRAGMA wal_autocheckpoint = {walCheckpointPages};";
}
