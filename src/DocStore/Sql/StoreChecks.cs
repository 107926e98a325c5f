namespace DocStore.Sql;

/// <summary>
/// The consistency checks between a store's tables that read the same on every engine, for each engine's verifier
/// (which adds the checks of its own tables and pages). Each counts the rows that break its rule.
/// </summary>
internal static class StoreChecks
{
    public static readonly (string Name, string Detail, string Sql) VersionsHistory =
        ("versions.history", "documents whose history is not exactly the versions before their current one",
            "SELECT count(*) FROM documents d WHERE (SELECT count(*) FROM document_versions v WHERE v.document_id = d.id AND v.version < d.version) <> d.version - 1 "
            + "OR EXISTS (SELECT 1 FROM document_versions v WHERE v.document_id = d.id AND v.version >= d.version)");

    public static readonly (string Name, string Detail, string Sql) CountsMatch =
        ("counts.match", "types and statuses whose kept document count (document_counts) differs from the documents",
            "SELECT count(*) FROM (SELECT type, status FROM (SELECT type, status, documents FROM document_counts WHERE documents <> 0 "
            + "EXCEPT SELECT type, status, count(*) FROM documents GROUP BY type, status) missing "
            + "UNION SELECT type, status FROM (SELECT type, status, count(*) FROM documents GROUP BY type, status "
            + "EXCEPT SELECT type, status, documents FROM document_counts) extra) differing");

    public static readonly (string Name, string Detail, string Sql) AuditCurrentVersion =
        ("audit.current_version", "documents whose current version has no successful audit row",
            "SELECT count(*) FROM documents d WHERE NOT EXISTS (SELECT 1 FROM audit_log a WHERE a.document_id = d.id AND a.version = d.version AND a.outcome = 'Success')");
}
