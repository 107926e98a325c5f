using Microsoft.Data.Sqlite;

namespace DocStore.Tests.Infrastructure;

/// <summary>Looks at a store's file from outside, on a raw connection of its own, as an independent observer.</summary>
public static class SqliteProbe
{
    public static object? Scalar(string path, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    public static void Execute(string path, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    public static string IntegrityCheck(string path) => (string)Scalar(path, "PRAGMA integrity_check")!;

    /// <summary>FTS5's own check: with rank 1 it compares the index with the documents and throws on any difference.</summary>
    public static void FtsCheck(string path) =>
        Execute(path, "INSERT INTO documents_fts(documents_fts, rank) VALUES ('integrity-check', 1)");
}
