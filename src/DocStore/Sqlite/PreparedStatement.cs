using Microsoft.Data.Sqlite;

namespace DocStore.Sqlite;

/// <summary>
/// Creates the writer's reusable commands. Microsoft.Data.Sqlite keeps a command's prepared statement
/// for as long as the command lives, while EF Core prepares every statement again on each SaveChanges;
/// reusing commands on the single writer connection pays the prepare once.
/// </summary>
internal static class PreparedStatement
{
    public static SqliteCommand Create(SqliteConnection connection, string sql)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        return command;
    }

    public static SqliteParameter Parameter(SqliteCommand command, string name) =>
        command.Parameters.Add(new SqliteParameter(name, null));
}
