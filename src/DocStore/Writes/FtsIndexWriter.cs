using DocStore.Internal;
using Microsoft.Data.Sqlite;

namespace DocStore.Writes;

/// <summary>
/// Keeps the full-text index in step with the documents, inside each write's transaction. The index is
/// external-content (its text lives in the documents, seen through the <c>documents_fts_source</c> view),
/// so a row is removed by being told exactly the values it was indexed with; tags are indexed as words.
/// </summary>
internal sealed class FtsIndexWriter : IDisposable
{
    private readonly SqliteCommand _index;
    private readonly SqliteCommand _unindex;

    public FtsIndexWriter(SqliteConnection connection)
    {
        _index = Create(connection, "INSERT INTO documents_fts (rowid, title, content, tags) VALUES ($id, $title, $content, $tags)");
        _unindex = Create(connection, "INSERT INTO documents_fts (documents_fts, rowid, title, content, tags) VALUES ('delete', $id, $title, $content, $tags)");
    }

    /// <summary>Applies the scope's index changes in order.</summary>
    public void Apply(WriteScope scope)
    {
        foreach (var change in scope.IndexChanges)
        {
            var command = change.Remove ? _unindex : _index;
            var p = command.Parameters;
            p[0].Value = change.Id;
            p[1].Value = change.Title;
            p[2].Value = change.Content;
            p[3].Value = StoredTags.IndexText(change.Tags);
            command.Transaction = scope.Transaction;
            command.ExecuteNonQuery();
        }
    }

    public void Dispose()
    {
        _index.Dispose();
        _unindex.Dispose();
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
