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
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ThrowIfDisposed();

            // SQLCipher 4 rekeys a WAL database only with no other connection open: hold writes (the
            // lock), let reads in flight finish and hold new ones, close every reader, then rekey
            // with the journal in DELETE mode and return to WAL.
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

                StoreConnections.Execute(_writeConnection, "PRAGMA wal_checkpoint(TRUNCATE)");
                StoreConnections.Execute(_writeConnection, "PRAGMA journal_mode = DELETE");
                try
                {
                    StoreConnections.Execute(_writeConnection, "PRAGMA rekey = " + newKey.PragmaValue);
                }
                finally
                {
                    StoreConnections.Execute(_writeConnection, "PRAGMA journal_mode = WAL");
                }

                _connections.ReplaceKey(newKey);
                _preparedWrites.InsertAudit(UtcTicks.Now(), AuditOperation.RotateKey, null, null, _actor(), AuditOutcome.Success, null, MicrosecondsSince(started), null);
            }
            catch (SqliteException e)
            {
                throw new StorageException("The key rotation failed; the old key still opens the store: " + e.Message, e.SqliteErrorCode, e);
            }
            finally
            {
                foreach (var resume in suspended)
                {
                    resume();
                }

                _readGate.Open();
            }
        }
        finally
        {
            _writeLock.Release();
        }
    }
}
