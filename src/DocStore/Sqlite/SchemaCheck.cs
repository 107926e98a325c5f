using DocStore.Internal;
using Microsoft.Data.Sqlite;

namespace DocStore.Sqlite;

/// <summary>
/// Checks at open that a DocStore file's schema is whole: every table, view, index and trigger the store
/// uses is there, the documents table has its columns, and no trigger of an older schema is left. A file
/// that fails is damaged (or was edited by hand): it is refused with <see cref="StoreCorruptedException"/>
/// instead of failing later with raw "no such table" errors. Reading the schema also reads page 1 and the
/// schema pages, so a file damaged there fails here too.
/// </summary>
internal static class SchemaCheck
{
    private static readonly (string Type, string Name)[] Required =
    [
        ("table", "documents"), ("table", "document_tags"), ("table", "document_versions"), ("table", "audit_log"), ("table", "document_reads"),
        ("table", "documents_fts"), ("table", "documents_fts_data"), ("table", "documents_fts_idx"),
        ("table", "documents_fts_docsize"), ("table", "documents_fts_config"),
        ("table", "documents_trash_fts"), ("table", "documents_trash_fts_data"), ("table", "documents_trash_fts_idx"),
        ("table", "documents_trash_fts_docsize"), ("table", "documents_trash_fts_config"),
        ("view", "documents_fts_source"), ("view", "documents_trash_source"),
        ("trigger", "audit_log_no_update"), ("trigger", "audit_log_no_delete"),
        ("table", "document_counts"), ("trigger", "documents_count_insert"), ("trigger", "documents_count_delete"), ("trigger", "documents_count_update"),
        ("index", "ix_documents_updated"), ("index", "ix_documents_type_updated"), ("index", "ix_documents_status_updated"), ("index", "ix_documents_created"),
        ("index", "ix_documents_title"), ("index", "ix_documents_title_key"), ("index", "ix_documents_source_path"), ("index", "ix_documents_content_hash"),
        ("index", "ix_document_reads_count"), ("index", "ix_document_tags_document"), ("index", "ix_audit_log_document"),
    ];

    private static readonly string[] DocumentColumns =
    [
        "id", "uuid", "title", "type", "status", "content", "format", "language", "source_path", "tags", "metadata",
        "content_hash", "size_bytes", "version", "created_at", "updated_at", "updated_by", "title_key",
    ];

    // The tables every DocStore schema version has had: a file marked with a version but without them is no store.
    private static readonly string[] CoreTables = ["documents", "document_tags", "document_versions", "audit_log"];

    /// <summary>Refuses, before anything is changed, a file marked with a DocStore schema version that lacks the tables every version has.</summary>
    public static void ThrowIfNotDocStore(SqliteConnection connection, long userVersion)
    {
        var tables = new HashSet<string>(Db.Column<string>(connection, "SELECT name FROM sqlite_master WHERE type = 'table'"), StringComparer.Ordinal);
        var missing = CoreTables.Where(t => !tables.Contains(t)).Select(t => $"table '{t}' is missing").ToList();
        if (missing.Count > 0)
        {
            throw new StoreCorruptedException(
                $"The file '{connection.DataSource}' is marked as DocStore schema version {userVersion}, but its schema is damaged: {string.Join("; ", missing)}. Restore it from a backup; the file was not changed.",
                StorageErrorKind.SchemaIncomplete);
        }
    }

    public static void ThrowIfIncomplete(SqliteConnection connection)
    {
        var problems = Problems(connection);
        if (problems.Count > 0)
        {
            throw new StoreCorruptedException(
                $"The file '{connection.DataSource}' is a DocStore file whose schema is damaged: {string.Join("; ", problems)}. Restore it from a backup.",
                StorageErrorKind.SchemaIncomplete);
        }
    }

    private static bool IsRequired(string type, string name)
    {
        foreach (var (requiredType, requiredName) in Required)
        {
            if (requiredType == type && requiredName == name)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>What is missing or left over, empty when the schema is whole.</summary>
    /// <remarks>Plain loops over string sets: this runs at every open, where each generic instantiation the
    /// framework has not precompiled costs JIT time before the first document is read.</remarks>
    public static List<string> Problems(SqliteConnection connection)
    {
        var present = new HashSet<string>(StringComparer.Ordinal);
        var problems = new List<string>();
        var leftOver = new List<string>();
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT type, name, tbl_name FROM sqlite_master";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                var type = reader.GetString(0);
                present.Add(type + " " + reader.GetString(1));
                // A trigger on documents that this schema does not list (schema 1's full-text triggers) is left over.
                if (type == "trigger" && reader.GetString(2) == "documents" && !IsRequired(type, reader.GetString(1)))
                {
                    leftOver.Add($"trigger '{reader.GetString(1)}' on documents is left over from an older schema (it would index changes twice)");
                }
            }
        }

        foreach (var (type, name) in Required)
        {
            if (!present.Contains(type + " " + name))
            {
                problems.Add($"{type} '{name}' is missing");
            }
        }

        if (present.Contains("table documents"))
        {
            var columns = new HashSet<string>(Db.Column<string>(connection, "SELECT name FROM pragma_table_info('documents')"), StringComparer.Ordinal);
            foreach (var column in DocumentColumns)
            {
                if (!columns.Contains(column))
                {
                    problems.Add($"column documents.{column} is missing");
                }
            }
        }

        problems.AddRange(leftOver);
        return problems;
    }
}
