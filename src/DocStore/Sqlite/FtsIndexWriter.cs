using System.Data.Common;
using DocStore.Engine;
using DocStore.Internal;
using DocStore.Writes;
using Microsoft.Data.Sqlite;

namespace DocStore.Sqlite;

/// <summary>
/// Keeps the two full-text indexes in step with the documents, inside each write's transaction: live
/// documents in <c>documents_fts</c>, soft-deleted ones in <c>documents_trash_fts</c>. Both are
/// external-content (their text lives in the documents, seen through views that present tags as words),
/// so a row is removed by being told exactly the values it was indexed with.
/// </summary>
internal sealed class FtsIndexWriter : IFullTextIndexWriter
{
    private readonly SqliteCommand[] _commands;

    public FtsIndexWriter(SqliteConnection connection)
    {
        // Indexed by (trash ? 2 : 0) + (remove ? 1 : 0).
        _commands =
        [
            Create(connection, "INSERT INTO documents_fts (rowid, title, content, tags) VALUES ($id, $title, $content, $tags)"),
            Create(connection, "INSERT INTO documents_fts (documents_fts, rowid, title, content, tags) VALUES ('delete', $id, $title, $content, $tags)"),
            Create(connection, "INSERT INTO documents_trash_fts (rowid, title, content, tags) VALUES ($id, $title, $content, $tags)"),
            Create(connection, "INSERT INTO documents_trash_fts (documents_trash_fts, rowid, title, content, tags) VALUES ('delete', $id, $title, $content, $tags)"),
        ];
    }

    /// <summary>Applies a write's index changes in order, in the group's transaction.</summary>
    public void Apply(IReadOnlyList<IndexChange> changes, DbTransaction transaction)
    {
        foreach (var change in changes)
        {
            var command = _commands[(change.Trash ? 2 : 0) + (change.Remove ? 1 : 0)];
            var p = command.Parameters;
            p[0].Value = change.Id;
            p[1].Value = change.Title;
            p[2].Value = change.Content;
            p[3].Value = StoredTags.IndexText(change.Tags);
            command.Transaction = (SqliteTransaction)transaction;
            command.ExecuteNonQuery();
        }
    }

    public void Dispose()
    {
        foreach (var command in _commands)
        {
            command.Dispose();
        }
    }

    private static SqliteCommand Create(SqliteConnection connection, string sql)
    {
        var command = PreparedStatement.Create(connection, sql);
        foreach (var name in new[] { "$id", "$title", "$content", "$tags" })
        {
            PreparedStatement.Parameter(command, name);
        }

        return command;
    }
}
