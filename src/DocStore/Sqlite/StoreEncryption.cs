using DocStore.Internal;
using DocStore.Sqlite;
using Microsoft.Data.Sqlite;

namespace DocStore;

/// <summary>Converts a store file between plaintext and encrypted, keeping every document, version and audit row (SQLCipher's <c>sqlcipher_export</c>).</summary>
public static class StoreEncryption
{
    /// <summary>Writes an encrypted copy of a plaintext store. The source is not changed; close stores on it first.</summary>
    /// <param name="plaintextPath">The plaintext store file.</param>
    /// <param name="encryptedPath">The new encrypted file; must not exist.</param>
    /// <param name="key">The key of the copy.</param>
    /// <param name="cancellationToken">Cancels before starting.</param>
    /// <returns>A task that completes when the copy is written.</returns>
    public static Task EncryptExistingAsync(string plaintextPath, string encryptedPath, EncryptionKey key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        cancellationToken.ThrowIfCancellationRequested();
        SqlCipher.EnsureAvailable();
        if (!StoreConnections.IsPlaintextDatabase(plaintextPath))
        {
            throw new EncryptionKeyException($"'{plaintextPath}' is not a plaintext SQLite database (it is missing, encrypted already, or not a database).");
        }

        Export(plaintextPath, null, encryptedPath, key);
        return Task.CompletedTask;
    }

    /// <summary>Writes a plaintext copy of an encrypted store. The source is not changed; close stores on it first.</summary>
    /// <param name="encryptedPath">The encrypted store file.</param>
    /// <param name="key">Its key.</param>
    /// <param name="plaintextPath">The new plaintext file; must not exist.</param>
    /// <param name="cancellationToken">Cancels before starting.</param>
    /// <returns>A task that completes when the copy is written.</returns>
    public static Task DecryptToAsync(string encryptedPath, EncryptionKey key, string plaintextPath, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        cancellationToken.ThrowIfCancellationRequested();
        SqlCipher.EnsureAvailable();
        Export(encryptedPath, key, plaintextPath, null);
        return Task.CompletedTask;
    }

    private static void Export(string sourcePath, EncryptionKey? sourceKey, string targetPath, EncryptionKey? targetKey)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sourcePath);
        ArgumentException.ThrowIfNullOrWhiteSpace(targetPath);
        if (!File.Exists(sourcePath))
        {
            throw new FileNotFoundException("The source store does not exist.", sourcePath);
        }

        // ReadWriteCreate: attached databases inherit the open flags, and the target is created by ATTACH (the source was checked to exist).
        var connectionString = new SqliteConnectionStringBuilder { DataSource = Path.GetFullPath(sourcePath), Mode = SqliteOpenMode.ReadWriteCreate, Pooling = false }.ToString();
        try
        {
            using var source = new SqliteConnection(connectionString);
            source.Open();
            if (sourceKey is not null)
            {
                StoreConnections.ApplyKey(source, sourceKey);
            }

            Db.Execute(source, "PRAGMA wal_checkpoint(TRUNCATE)");
            StoreCopy.Copy(source, sourceKey is not null, targetPath, targetKey);
        }
        catch (SqliteException e)
        {
            throw new StorageException("The conversion failed and its partial output was removed: " + SqliteErrors.Reason(e), SqliteErrors.KindOf(e), e);
        }
    }
}
