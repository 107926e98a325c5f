using System.Reflection;
using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;

namespace DocStore;

/// <summary>
/// Selects SQLCipher (the system's <c>libsqlcipher.so.1</c>, e.g. Debian's <c>libsqlcipher1</c> from
/// bookworm-backports) as the process's SQLite. The SQLitePCLRaw bundles that shipped SQLCipher are
/// no longer distributed, so DocStore maps SQLitePCLRaw's <c>e_sqlite3</c> native library to it.
/// </summary>
/// <remarks>
/// The choice is process-wide and must happen before the first SQLite call of the process: call
/// <see cref="UseSystemLibrary"/> at start-up. Opening a store with an <see cref="DocStoreOptions.EncryptionKey"/>
/// also tries it automatically, and refuses to open (<see cref="EncryptionUnavailableException"/>) if
/// the SQLite in use cannot encrypt. Unencrypted stores keep working on SQLCipher.
/// </remarks>
public static class SqlCipher
{
    /// <summary>The library name looked up when none is given.</summary>
    public const string DefaultLibrary = "libsqlcipher.so.1";

    private const string InstallHint =
        "Install SQLCipher 4.6 (on Debian 12: add the bookworm-backports suite and run 'apt-get install -t bookworm-backports libsqlcipher1'; scripts/test.sh does this), "
        + "and call DocStore.SqlCipher.UseSystemLibrary() at start-up, before anything else in the process uses SQLite.";

    private static readonly Lock Gate = new();
    private static IntPtr _library;

    /// <summary>Maps SQLite to SQLCipher for this process, or throws if that is impossible.</summary>
    /// <param name="libraryName">The SQLCipher shared library.</param>
    /// <exception cref="EncryptionUnavailableException">The library cannot be loaded, or this process already uses another SQLite (nothing was changed).</exception>
    public static void UseSystemLibrary(string libraryName = DefaultLibrary)
    {
        if (TryUseSystemLibrary(libraryName))
        {
            return;
        }

        throw new EncryptionUnavailableException(NativeSqliteLoaded()
            ? "This process already uses a SQLite library that cannot encrypt, so SQLCipher can no longer be selected; nothing was changed. " + InstallHint
            : $"SQLCipher ('{libraryName}') could not be loaded; nothing was changed. " + InstallHint);
    }

    /// <summary>Like <see cref="UseSystemLibrary"/>, but returns false instead of throwing.</summary>
    /// <param name="libraryName">The SQLCipher shared library.</param>
    /// <returns>
    /// True if SQLite calls of this process go to SQLCipher (now, or from an earlier call). False, with
    /// nothing changed, when the library cannot be loaded or the process already bound another SQLite.
    /// </returns>
    public static bool TryUseSystemLibrary(string libraryName = DefaultLibrary)
    {
        lock (Gate)
        {
            if (_library != IntPtr.Zero)
            {
                return true;
            }

            // SQLitePCLRaw binds each native function on its first call. Mapping "e_sqlite3" after some were
            // bound to another library would send the rest to SQLCipher with the other library's handles:
            // a native crash (SIGSEGV) on the next function bound, e.g. sqlite3_backup_init. Refuse instead.
            if (NativeSqliteLoaded())
            {
                return false;
            }

            if (!NativeLibrary.TryLoad(libraryName, out var handle))
            {
                return false;
            }

            try
            {
                // SQLitePCLRaw's provider imports "e_sqlite3"; a resolver can be set once per assembly.
                NativeLibrary.SetDllImportResolver(typeof(SQLitePCL.SQLite3Provider_e_sqlite3).Assembly, Resolve);
            }
            catch (InvalidOperationException)
            {
                // Someone else resolves the provider's imports: leave their choice alone.
                NativeLibrary.Free(handle);
                return false;
            }

            _library = handle;
            return true;
        }
    }

    /// <summary>
    /// Whether the SQLite this process uses can encrypt (SQLCipher answers <c>PRAGMA cipher_version</c>).
    /// Called before any other SQLite use of the process, it binds the SQLite it finds (the bundled one
    /// unless <see cref="UseSystemLibrary"/> came first).
    /// </summary>
    /// <returns>True under SQLCipher.</returns>
    public static bool IsActive()
    {
        using var connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA cipher_version";
        return command.ExecuteScalar() is string version && version.Length > 0;
    }

    /// <summary>
    /// Throws unless SQLCipher serves this process; selects it first when no SQLite is bound yet. A refusal
    /// changes nothing: no library is loaded or bound by it.
    /// </summary>
    internal static void EnsureAvailable()
    {
        // Asking the SQLite in use is safe only once one is bound (by us or by the application); asking
        // before would bind the bundled library and make SQLCipher impossible for the rest of the process.
        if ((TryUseSystemLibrary() || NativeSqliteLoaded()) && IsActive())
        {
            return;
        }

        throw new EncryptionUnavailableException(
            "An encryption key is configured, but the SQLite in this process cannot encrypt; DocStore will not write plaintext. " + InstallHint);
    }

    /// <summary>Whether a native SQLite library (bundled e_sqlite3, a system libsqlite3, or a SQLCipher loaded by someone else) is loaded in this process.</summary>
    private static bool NativeSqliteLoaded()
    {
        using var process = System.Diagnostics.Process.GetCurrentProcess();
        foreach (System.Diagnostics.ProcessModule module in process.Modules)
        {
            // Native names only: managed assemblies (Microsoft.Data.Sqlite.dll, SQLitePCLRaw.*.dll) are mapped files too.
            var name = module.ModuleName;
            if (name.Contains("e_sqlite3", StringComparison.OrdinalIgnoreCase)
                || name.StartsWith("libsqlite3", StringComparison.OrdinalIgnoreCase)
                || name.StartsWith("libsqlcipher", StringComparison.OrdinalIgnoreCase)
                || name.Equals("sqlite3.dll", StringComparison.OrdinalIgnoreCase)
                || name.Equals("sqlcipher.dll", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath) =>
        name == "e_sqlite3" ? _library : IntPtr.Zero;
}
