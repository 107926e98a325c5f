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
    private static bool _resolverSet;
    private static IntPtr _library;

    /// <summary>Maps SQLite to SQLCipher for this process, or throws if the library cannot be loaded.</summary>
    /// <param name="libraryName">The SQLCipher shared library.</param>
    /// <exception cref="EncryptionUnavailableException">The library cannot be loaded, or SQLite was already initialised with another library.</exception>
    public static void UseSystemLibrary(string libraryName = DefaultLibrary)
    {
        if (!TryUseSystemLibrary(libraryName))
        {
            throw new EncryptionUnavailableException($"SQLCipher ('{libraryName}') could not be loaded. " + InstallHint);
        }

        if (!IsActive())
        {
            throw new EncryptionUnavailableException(
                "SQLite was already initialised with a library that cannot encrypt before SQLCipher was selected. " + InstallHint);
        }
    }

    /// <summary>Like <see cref="UseSystemLibrary"/>, but returns false instead of throwing when the library is missing.</summary>
    /// <param name="libraryName">The SQLCipher shared library.</param>
    /// <returns>True if the library loaded and the mapping is in place (it takes effect only if no SQLite call came first).</returns>
    public static bool TryUseSystemLibrary(string libraryName = DefaultLibrary)
    {
        lock (Gate)
        {
            // Loading is reference-counted, so trying a name again is harmless; the first success is the one mapped.
            if (!NativeLibrary.TryLoad(libraryName, out var handle))
            {
                return false;
            }

            if (_library == IntPtr.Zero)
            {
                _library = handle;
            }

            if (!_resolverSet)
            {
                // SQLitePCLRaw's provider imports "e_sqlite3"; a resolver can be set once per assembly.
                var provider = typeof(SQLitePCL.SQLite3Provider_e_sqlite3).Assembly;
                try
                {
                    NativeLibrary.SetDllImportResolver(provider, Resolve);
                }
                catch (InvalidOperationException)
                {
                    // Someone else set a resolver on the provider; IsActive() tells whether SQLCipher won.
                }

                _resolverSet = true;
            }

            return true;
        }
    }

    /// <summary>Whether the SQLite this process uses can encrypt (SQLCipher answers <c>PRAGMA cipher_version</c>).</summary>
    /// <returns>True under SQLCipher.</returns>
    public static bool IsActive()
    {
        using var connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA cipher_version";
        return command.ExecuteScalar() is string version && version.Length > 0;
    }

    /// <summary>Throws unless SQLCipher is active; tries to select it first.</summary>
    internal static void EnsureAvailable()
    {
        TryUseSystemLibrary();
        if (!IsActive())
        {
            throw new EncryptionUnavailableException(
                "An encryption key is configured, but the SQLite in this process cannot encrypt; DocStore will not write plaintext. " + InstallHint);
        }
    }

    private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath) =>
        name == "e_sqlite3" ? _library : IntPtr.Zero;
}
