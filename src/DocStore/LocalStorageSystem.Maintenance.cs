using DocStore.Internal;

namespace DocStore;

/// <summary>Optimize and checkpoint: run on the writer connection, under the writer lock.</summary>
public sealed partial class LocalStorageSystem
{
    /// <inheritdoc />
    public Task OptimizeAsync(bool vacuum = false, CancellationToken cancellationToken = default) =>
        OnWriterAsync(
            "INSERT INTO documents_fts(documents_fts) VALUES ('optimize'); PRAGMA optimize;" + (vacuum ? " VACUUM;" : string.Empty),
            cancellationToken);

    /// <inheritdoc />
    public Task CheckpointAsync(CancellationToken cancellationToken = default) =>
        OnWriterAsync("PRAGMA wal_checkpoint(TRUNCATE);", cancellationToken);

    private async Task OnWriterAsync(string sql, CancellationToken cancellationToken)
    {
        ThrowIfDisposed();
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ThrowIfDisposed();
            StoreConnections.Execute(_writeConnection, sql);
        }
        catch (Microsoft.Data.Sqlite.SqliteException e)
        {
            throw new StorageException("Maintenance failed: " + e.Message, e.SqliteErrorCode, e);
        }
        finally
        {
            _writeLock.Release();
        }
    }
}
