using DocStore.Internal;
using Microsoft.Data.Sqlite;

namespace DocStore.Sqlite;

/// <summary>
/// Writes a consistent copy of a store from one read snapshot, while others keep reading and writing:
/// <c>VACUUM INTO</c> for plaintext copies of plaintext stores, SQLCipher's <c>sqlcipher_export</c> into
/// an attached file otherwise (an encrypted copy stays encrypted, under the key given). The copy is written
/// under a temporary name beside the destination and renamed into place only when complete, so a failed or
/// interrupted copy never leaves a partial file under the destination's name.
/// </summary>
internal static class StoreCopy
{
    /// <param name="source">An open, keyed (when encrypted) connection to the source; not query-only.</param>
    /// <param name="sourceEncrypted">Whether the source is encrypted.</param>
    /// <param name="destinationPath">The new file; must not exist.</param>
    /// <param name="destinationKey">The copy's key, or null for a plaintext copy.</param>
    public static void Copy(SqliteConnection source, bool sourceEncrypted, string destinationPath, EncryptionKey? destinationKey)
    {
        var destination = Path.GetFullPath(destinationPath);
        if (File.Exists(destination))
        {
            throw new IOException($"'{destination}' exists already; DocStore will not overwrite it.");
        }

        var temporary = destination + ".partial-" + Guid.NewGuid().ToString("N")[..8];
        try
        {
            if (!sourceEncrypted && destinationKey is null)
            {
                using var vacuum = source.CreateCommand();
                vacuum.CommandText = "VACUUM INTO $path";
                vacuum.Parameters.AddWithValue("$path", temporary);
                vacuum.ExecuteNonQuery();
            }
            else
            {
                Export(source, temporary, destinationKey);
            }

            // The copy of a store is a store: in WAL mode like every DocStore file.
            using (var copy = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = temporary, Mode = SqliteOpenMode.ReadWrite, Pooling = false }.ToString()))
            {
                copy.Open();
                if (destinationKey is not null)
                {
                    StoreConnections.ApplyKey(copy, destinationKey);
                }

                Db.Execute(copy, "PRAGMA journal_mode = WAL");
            }

            File.Move(temporary, destination);
        }
        catch
        {
            Delete(temporary);
            throw;
        }
    }

    /// <summary>Deletes a database file and its companions, ignoring what is not there.</summary>
    public static void Delete(string path)
    {
        foreach (var file in new[] { path, path + "-wal", path + "-shm", path + "-journal" })
        {
            try
            {
                File.Delete(file);
            }
            catch (IOException)
            {
            }
        }
    }

    private static void Export(SqliteConnection source, string target, EncryptionKey? targetKey)
    {
        var userVersion = Db.Scalar<long>(source, "PRAGMA user_version");
        var applicationId = Db.Scalar<long>(source, "PRAGMA application_id");
        using (var attach = source.CreateCommand())
        {
            // ATTACH's KEY takes the same quoted forms as PRAGMA key; '' means plaintext.
            attach.CommandText = "ATTACH DATABASE $path AS copy_target KEY " + (targetKey?.PragmaValue ?? "''");
            attach.Parameters.AddWithValue("$path", target);
            attach.ExecuteNonQuery();
        }

        try
        {
            // One transaction: the export reads one snapshot of the source, however long it takes.
            Db.Execute(source, $"BEGIN; SELECT sqlcipher_export('copy_target'); PRAGMA copy_target.user_version = {userVersion}; PRAGMA copy_target.application_id = {applicationId}; COMMIT;");
        }
        catch
        {
            if (SQLitePCL.raw.sqlite3_get_autocommit(source.Handle) == 0)
            {
                Db.Execute(source, "ROLLBACK");
            }

            throw;
        }
        finally
        {
            Db.Execute(source, "DETACH DATABASE copy_target");
        }
    }
}
