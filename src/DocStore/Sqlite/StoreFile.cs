using DocStore.Internal;
using Microsoft.Data.Sqlite;
using DocStore.Sqlite;

namespace DocStore;

/// <summary>Operations on a store file that do not open it as a store, so they work on a damaged file too.</summary>
public static class StoreFile
{
    /// <summary>
    /// Checks a store file (see <see cref="IDocumentStore.VerifyAsync"/>) without opening it as a store: no
    /// schema upgrade, no schema check at open, nothing written. A file SQLite cannot read at all gives a
    /// report with that failure rather than an exception.
    /// </summary>
    /// <param name="path">The store file.</param>
    /// <param name="key">Its key, when it is encrypted.</param>
    /// <param name="cancellationToken">Interrupts the checks.</param>
    /// <returns>The report.</returns>
    /// <exception cref="FileNotFoundException">There is no file at <paramref name="path"/>.</exception>
    /// <exception cref="EncryptionKeyException">The key does not open the file.</exception>
    public static Task<VerificationReport> VerifyAsync(string path, EncryptionKey? key = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException("There is no store file here.", path);
        }

        if (key is not null)
        {
            SqlCipher.EnsureAvailable();
        }

        return Task.Run(
            () =>
            {
                using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path.GetFullPath(path), Mode = SqliteOpenMode.ReadWrite, Pooling = false }.ToString());
                connection.Open();
                if (key is not null)
                {
                    StoreConnections.ApplyKey(connection, key);
                }

                return StoreVerifier.Run(connection, cancellationToken);
            },
            cancellationToken);
    }
}
