using DocStore.Fast;
using Microsoft.Data.Sqlite;

namespace DocStore.TestHost;

/// <summary>
/// Which native SQLite a process binds is process-wide and cannot be undone, so these run in a child
/// process: a refused keyed open must leave the bundled SQLite fully working (a half-bound process
/// crashed with SIGSEGV on the next P/Invoke bound, e.g. the backup functions).
/// </summary>
internal static class NativeBindingScenarios
{
    /// <summary>A plain store is used, a keyed open is refused, then every SQLite feature and store API still works.</summary>
    public static async Task<int> RefusedKeyThenSqliteAsync(string[] args)
    {
        var dir = args[0];
        var plain = Path.Combine(dir, "plain.db");
        await using (var store = new LocalStorageSystem(new DocStoreOptions { DatabasePath = plain }))
        {
            await store.CreateAsync(new NewDocument { Title = "a", Type = "note", Content = "hello world" });
        }

        var key = EncryptionKey.FromPassphrase("x");
        Check.Throws<EncryptionUnavailableException>(() => new LocalStorageSystem(new DocStoreOptions { DatabasePath = Path.Combine(dir, "k.db"), EncryptionKey = key }));
        Check.Throws<EncryptionUnavailableException>(() => new OptimizedStorageSystem(new OptimizedStorageOptions { DatabasePath = Path.Combine(dir, "k2.db"), EncryptionKey = key }));
        Check.Throws<EncryptionUnavailableException>(() => SqlCipher.UseSystemLibrary());
        Check.That(!SqlCipher.TryUseSystemLibrary(), "TryUseSystemLibrary must refuse once the bundled SQLite is bound");
        Check.That(!SqlCipher.IsActive(), "the bundled SQLite must still be the one in use");
        Check.That(!File.Exists(Path.Combine(dir, "k.db")) && !File.Exists(Path.Combine(dir, "k2.db")), "a refused keyed open must not create its file");

        SqliteFeatures(plain, Path.Combine(dir, "backup.db"));
        await StoreTour.RunAsync(new OptimizedStorageSystem(new OptimizedStorageOptions { DatabasePath = Path.Combine(dir, "tour.db") }));
        await StoreTour.RunAsync(new LocalStorageSystem(new DocStoreOptions { DatabasePath = Path.Combine(dir, "tour-ef.db") }));
        Console.WriteLine("ok");
        return 0;
    }

    /// <summary>SQLite is used first (an in-memory connection), then a keyed open must be refused with a typed exception.</summary>
    public static int SqliteThenKey(string[] args)
    {
        var dir = args[0];
        using (var c = new SqliteConnection("Data Source=:memory:"))
        {
            c.Open();
        }

        Check.Throws<EncryptionUnavailableException>(() => new LocalStorageSystem(new DocStoreOptions { DatabasePath = Path.Combine(dir, "k.db"), EncryptionKey = EncryptionKey.FromPassphrase("x") }));
        var plain = Path.Combine(dir, "plain.db");
        using (var store = new LocalStorageSystem(new DocStoreOptions { DatabasePath = plain }))
        {
            store.CreateAsync(new NewDocument { Title = "a", Type = "note", Content = "hello" }).GetAwaiter().GetResult();
        }

        SqliteFeatures(plain, Path.Combine(dir, "backup.db"));
        Console.WriteLine("ok");
        return 0;
    }

    /// <summary>Selecting a missing SQLCipher fails with install instructions and changes nothing: the real one can be selected after.</summary>
    public static async Task<int> MissingCipherLibraryAsync(string[] args)
    {
        Check.That(!SqlCipher.TryUseSystemLibrary("libdocstore-no-such-sqlcipher.so"), "a missing library must not be selected");
        var e = Check.Throws<EncryptionUnavailableException>(() => SqlCipher.UseSystemLibrary("libdocstore-no-such-sqlcipher.so"));
        Check.That(e.Message.Contains("libsqlcipher1", StringComparison.Ordinal), "the message must say how to install SQLCipher");
        SqlCipher.UseSystemLibrary();
        Check.That(SqlCipher.IsActive(), "SQLCipher must serve the process after the failed attempt");
        await using var store = new LocalStorageSystem(new DocStoreOptions { DatabasePath = Path.Combine(args[0], "k.db"), EncryptionKey = EncryptionKey.FromPassphrase("x") });
        await store.CreateAsync(new NewDocument { Title = "a", Type = "note", Content = "hello" });
        Console.WriteLine("ok");
        return 0;
    }

    /// <summary>Online backup and incremental blob I/O: native entry points a store never calls, so they are bound only here.</summary>
    private static void SqliteFeatures(string source, string backupPath)
    {
        using var c = new SqliteConnection("Data Source=" + source);
        c.Open();
        using (var dest = new SqliteConnection("Data Source=" + backupPath))
        {
            dest.Open();
            c.BackupDatabase(dest);
            using var count = dest.CreateCommand();
            count.CommandText = "SELECT count(*) FROM documents";
            Check.That((long)count.ExecuteScalar()! == 1, "the backup must hold the document");
        }

        using (var create = c.CreateCommand())
        {
            create.CommandText = "CREATE TEMP TABLE blobs (id INTEGER PRIMARY KEY, data BLOB); INSERT INTO blobs VALUES (1, zeroblob(16));";
            create.ExecuteNonQuery();
        }

        using (var blob = new SqliteBlob(c, "temp", "blobs", "data", 1))
        {
            blob.Write([1, 2, 3, 4], 0, 4);
            blob.Position = 0;
            var read = new byte[4];
            Check.That(blob.Read(read, 0, 4) == 4 && read[3] == 4, "blob I/O must round-trip");
        }
    }
}
