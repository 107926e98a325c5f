namespace DocStore;

/// <summary>Optimize and checkpoint: run on the writer connection, under the write lock.</summary>
public sealed partial class LocalStorageSystem
{
    /// <inheritdoc />
    public Task OptimizeAsync(bool vacuum = false, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        return _pipeline.ExclusiveAsync(
            "Optimizing",
            connection =>
            {
                _engine.Optimize(connection, vacuum);
                return true;
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public Task CheckpointAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        return _pipeline.ExclusiveAsync(
            "The checkpoint",
            connection =>
            {
                _engine.Checkpoint(connection);
                return true;
            },
            cancellationToken);
    }
}
