using DocStore.Internal;
using DocStore.Maintenance;
using Microsoft.Data.Sqlite;

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
        await Task.Run(
            () =>
            {
                using var connection = _connections.OpenMaintenance();
                using var interrupt = Interrupt.OnCancel(connection, cancellationToken);
                try
                {
                    StoreCopy.Copy(connection, _connections.Encrypted, destinationPath, _connections.Key);
                }
                catch (SqliteException e)
                {
                    throw SqliteErrors.Translate(e, "The backup", cancellationToken);
                }
            },
            cancellationToken).ConfigureAwait(false);
    }
}
