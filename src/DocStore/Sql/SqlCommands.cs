using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace DocStore.Sql;

/// <summary>Small helpers for raw commands, shared by the EF path's raw queries and the fast path.</summary>
internal static class SqlCommands
{
    public static void Bind(SqliteCommand command, IReadOnlyList<SqlArgument> arguments)
    {
        var parameters = command.Parameters;
        parameters.Clear();
        foreach (var argument in arguments)
        {
            parameters.AddWithValue(argument.Name, argument.Value);
        }
    }

    /// <summary>Reads a search row: document columns, then snippet and score.</summary>
    public static SearchHit ReadSearchHit(DbDataReader reader) =>
        new(DocumentMapper.FromRow(reader),
            reader.IsDBNull(DocumentMapper.ColumnCount) ? string.Empty : reader.GetString(DocumentMapper.ColumnCount),
            reader.GetDouble(DocumentMapper.ColumnCount + 1));

    /// <summary>
    /// SQLITE_ERROR from a search statement means FTS5 rejected the MATCH text (syntax, unknown
    /// column): our own SQL is fixed. It becomes the typed exception, with SQLite's reason.
    /// </summary>
    public static InvalidSearchQueryException? AsInvalidSearch(SqliteException e) =>
        e.SqliteErrorCode == 1
            ? new InvalidSearchQueryException("The search query is not valid: " + e.Message.Replace("SQLite Error 1: ", string.Empty, StringComparison.Ordinal), e)
            : null;
}
