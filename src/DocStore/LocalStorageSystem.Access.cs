using DocStore.Internal;
using Microsoft.Data.Sqlite;

namespace DocStore;

/// <summary>Applies the fast path's aggregated read counts through the single writer.</summary>
public sealed partial class LocalStorageSystem
{
    private SqliteCommand? _accessCommand;

    /// <summary>
    /// Adds read counts and moves <c>last_accessed_at</c> forward, all in one transaction. Not a
    /// content change: no version, no audit row, no change notification (cached documents keep
    /// the counts they were loaded with until they are next loaded).
    /// </summary>
    internal async Task ApplyAccessUpdatesAsync(IReadOnlyList<AccessUpdate> updates)
    {
        if (updates.Count == 0)
        {
            return;
        }

        ThrowIfDisposed();
        await _writeLock.WaitAsync().ConfigureAwait(false);
        try
        {
            ThrowIfDisposed();
            using var transaction = _writeConnection.BeginTransaction();
            var command = _accessCommand ??= CreateAccessCommand();
            command.Transaction = transaction;
            var id = command.Parameters[0];
            var count = command.Parameters[1];
            var at = command.Parameters[2];
            foreach (var update in updates)
            {
                id.Value = update.DocumentId;
                count.Value = update.Count;
                at.Value = update.LastAccessedUtcTicks;
                command.ExecuteNonQuery();
            }

            transaction.Commit();
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private SqliteCommand CreateAccessCommand()
    {
        var command = _writeConnection.CreateCommand();
        command.CommandText = "UPDATE documents SET access_count = access_count + $count, last_accessed_at = max(ifnull(last_accessed_at, 0), $at) WHERE id = $id";
        command.Parameters.Add("$id", SqliteType.Integer);
        command.Parameters.Add("$count", SqliteType.Integer);
        command.Parameters.Add("$at", SqliteType.Integer);
        return command;
    }
}
