using DocStore.Internal;

namespace DocStore;

/// <summary>Optimize and checkpoint: run on the writer connection, under the write lock.</summary>
public sealed partial class LocalStorageSystem
{
    /// <inheritdoc />
    public Task OptimizeAsync(bool vacuum = false, CancellationToken cancellationToken = default) =>
        OnWriterAsync(
            "Optimizing",
            "INSERT INTO documents_fts(documents_fts) VALUES ('optimize'); INSERT INTO documents_trash_fts(documents_trash_fts) VALUES ('optimize'); PRAGMA optimize;" + (vacuum ? " VACUUM;" : " PRAGMA incremental_vacuum;"),
            cancellationToken);

    /// <inheritdoc />
    public Task CheckpointAsync(CancellationToken cancellationToken = default) =>
        OnWriterAsync("The checkpoint", "PRAGMA wal_checkpoint(TRUNCATE);", cancellationToken);

    private Task OnWriterAsync(string what, string sql, CancellationToken cancellationToken)
    {
        ThrowIfDisposed();
        return _pipeline.ExclusiveAsync(
            what,
            connection =>
            {
                Db.Execute(connection, sql);
                return true;
            },
            cancellationToken);
    }
}
