namespace DocStore;

/// <summary>Online backup: a consistent copy from one read snapshot, on a connection of its own.</summary>
public sealed partial class LocalStorageSystem
{
    /// <inheritdoc />
    public async Task BackupAsync(string destinationPath, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(destinationPath);
        ThrowIfDisposed();
        using var gate = await EnterReadAsync().ConfigureAwait(false);
        await Task.Run(() => _engine.Backup(destinationPath, cancellationToken), cancellationToken).ConfigureAwait(false);
    }
}
