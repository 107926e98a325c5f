using System.Text;
using DocStore.Internal;
using Microsoft.Data.Sqlite;

namespace DocStore;

/// <summary>Writes the fast path's aggregated read counts (<c>document_reads</c>: <c>access_count</c>, <c>last_accessed_at</c>) through the single writer.</summary>
public sealed partial class LocalStorageSystem
{
    private SqliteCommand? _accessCommand;

    /// <summary>
    /// Adds read counts and moves <c>last_accessed_at</c> forward, all in one statement. Not a content change:
    /// no version, no audit row, no change notification.
    /// </summary>
    internal Task ApplyAccessUpdatesAsync(IReadOnlyList<AccessUpdate> updates)
    {
        if (updates.Count == 0)
        {
            return Task.CompletedTask;
        }

        // One statement per flush: the counts travel as one JSON array, so the per-row cost is SQLite's alone.
        var json = new StringBuilder(updates.Count * 32).Append('[');
        foreach (var update in updates)
        {
            json.Append('[').Append(update.DocumentId).Append(',').Append(update.Count).Append(',').Append(update.LastAccessedUtcTicks).Append("],");
        }

        json[^1] = ']';
        ThrowIfDisposed();
        return _pipeline.ExclusiveAsync(
            "Writing access counts",
            connection =>
            {
                var command = _accessCommand ??= CreateAccessCommand(connection);
                command.Parameters[0].Value = json.ToString();
                return command.ExecuteNonQuery();
            },
            CancellationToken.None);
    }

    private static SqliteCommand CreateAccessCommand(SqliteConnection connection)
    {
        var command = connection.CreateCommand();
        command.CommandText = "UPDATE document_reads SET access_count = access_count + a.n, last_accessed_at = max(ifnull(last_accessed_at, 0), a.at) "
            + "FROM (SELECT value ->> 0 AS id, value ->> 1 AS n, value ->> 2 AS at FROM json_each($updates)) AS a WHERE document_reads.document_id = a.id";
        command.Parameters.Add("$updates", SqliteType.Text);
        return command;
    }
}
