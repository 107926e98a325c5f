using System.Diagnostics;
using DocStore.Internal;
using Microsoft.Data.Sqlite;

namespace DocStore;

/// <summary>Key rotation of an encrypted store.</summary>
public sealed partial class LocalStorageSystem
{
    /// <inheritdoc />
    public async Task RotateKeyAsync(EncryptionKey newKey, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(newKey);
        ThrowIfDisposed();
        if (!_connections.Encrypted)
        {
            throw new InvalidOperationException("This store is not encrypted; make an encrypted copy with StoreEncryption.EncryptExistingAsync instead.");
        }

        var started = Stopwatch.GetTimestamp();
        var actor = _pipeline.CurrentActor();

        // SQLCipher 4 rekeys a WAL database only with no other connection open: hold writes (the pipeline's
        // lock), let reads in flight finish and hold new ones, close every reader, then rekey with the journal
        // in DELETE mode and return to WAL. A process killed meanwhile leaves DELETE mode behind; the next
        // open puts the file back in WAL (StoreSchema.Open).
        await _pipeline.ExclusiveAsync(
            "The key rotation",
            async writer =>
            {
                await _readGate.CloseAsync().ConfigureAwait(false);
                var suspended = new List<Action>();
                try
                {
                    foreach (var (suspend, resume) in _quiesceHooks)
                    {
                        await suspend().ConfigureAwait(false);
                        suspended.Add(resume);
                    }

                    using (var pooled = new SqliteConnection(_connections.ReadConnectionString))
                    {
                        SqliteConnection.ClearPool(pooled);
                    }

                    Db.Execute(writer, "PRAGMA wal_checkpoint(TRUNCATE)");
                    Db.Execute(writer, "PRAGMA journal_mode = DELETE");
                    try
                    {
                        Db.Execute(writer, "PRAGMA rekey = " + newKey.PragmaValue);
                    }
                    finally
                    {
                        Db.Execute(writer, "PRAGMA journal_mode = WAL");
                    }

                    _connections.ReplaceKey(newKey);
                    _pipeline.AuditAlone(AuditOperation.RotateKey, null, actor, AuditOutcome.Success, null, (long)Stopwatch.GetElapsedTime(started).TotalMicroseconds);
                    return true;
                }
                catch (SqliteException e)
                {
                    throw new StorageException("The key rotation failed; the old key still opens the store: " + SqliteErrors.Reason(e), SqliteErrors.KindOf(e), e);
                }
                finally
                {
                    foreach (var resume in suspended)
                    {
                        resume();
                    }

                    _readGate.Open();
                }
            },
            cancellationToken).ConfigureAwait(false);
    }
}
