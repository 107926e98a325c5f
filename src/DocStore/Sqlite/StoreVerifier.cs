using System.Diagnostics;
using DocStore.Internal;
using DocStore.Sql;
using DocStore.Sqlite;
using Microsoft.Data.Sqlite;

namespace DocStore.Sqlite;

/// <summary>
/// Checks a store file and reports, never throws, what is wrong: SQLite's integrity_check, FTS5's own
/// integrity-check against the documents, the schema, and the invariants between tables (every document
/// has its current version row, its tag rows, its row of read counts and one full-text entry; nothing is left orphaned). A check
/// that cannot even run (a damaged page) is reported as failed with SQLite's reason.
/// </summary>
internal static class StoreVerifier
{
    private static readonly (string Name, string Detail, string Sql)[] RowChecks =
    [
        StoreChecks.VersionsHistory,
        ("versions.orphans", "version rows whose document does not exist",
            "SELECT count(*) FROM document_versions v WHERE NOT EXISTS (SELECT 1 FROM documents d WHERE d.id = v.document_id)"),
        ("tags.rows_match", "documents whose tag rows differ from their tag list",
            "SELECT count(*) FROM documents d WHERE (SELECT count(*) FROM json_each(d.tags)) <> (SELECT count(*) FROM document_tags t WHERE t.document_id = d.id) "
            + "OR EXISTS (SELECT 1 FROM json_each(d.tags) j WHERE NOT EXISTS (SELECT 1 FROM document_tags t WHERE t.document_id = d.id AND t.tag = j.value))"),
        ("tags.orphans", "tag rows whose document does not exist",
            "SELECT count(*) FROM document_tags t WHERE NOT EXISTS (SELECT 1 FROM documents d WHERE d.id = t.document_id)"),
        ("fts.missing_entries", "documents without their entry in the full-text index of their status (live or trash)",
            "SELECT count(*) FROM documents d WHERE NOT EXISTS (SELECT 1 FROM documents_fts_docsize s WHERE s.id = d.id AND d.status <> 3) "
            + "AND NOT EXISTS (SELECT 1 FROM documents_trash_fts_docsize s WHERE s.id = d.id AND d.status = 3)"),
        ("fts.orphan_entries", "full-text entries whose document does not exist or is in the other index",
            "SELECT (SELECT count(*) FROM documents_fts_docsize s WHERE NOT EXISTS (SELECT 1 FROM documents d WHERE d.id = s.id AND d.status <> 3)) "
            + "+ (SELECT count(*) FROM documents_trash_fts_docsize s WHERE NOT EXISTS (SELECT 1 FROM documents d WHERE d.id = s.id AND d.status = 3))"),
        ("reads.rows", "documents without their row of read counts (document_reads), or such rows without their document",
            "SELECT (SELECT count(*) FROM documents d WHERE NOT EXISTS (SELECT 1 FROM document_reads r WHERE r.document_id = d.id)) "
            + "+ (SELECT count(*) FROM document_reads r WHERE NOT EXISTS (SELECT 1 FROM documents d WHERE d.id = r.document_id))"),
        StoreChecks.CountsMatch,
        StoreChecks.AuditCurrentVersion,
    ];

    /// <summary>Runs every check on <paramref name="connection"/> (read-write, not query-only: FTS5's check is an INSERT that changes nothing).</summary>
    public static VerificationReport Run(SqliteConnection connection, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        using var interrupt = Interrupt.OnCancel(connection, cancellationToken);
        var checks = new List<VerificationCheck>();

        checks.Add(Run("sqlite.integrity_check", cancellationToken, () =>
        {
            var lines = Db.Column<string>(connection, "PRAGMA integrity_check(100)");
            var ok = lines is ["ok"];
            return (ok, ok ? 0 : lines.Count, ok ? "every page and index is consistent" : string.Join("; ", lines.Take(5)));
        }));
        checks.Add(Run("schema", cancellationToken, () =>
        {
            var problems = SchemaCheck.Problems(connection);
            return (problems.Count == 0, problems.Count, problems.Count == 0 ? $"schema version {Db.Scalar<long>(connection, "PRAGMA user_version")} is whole" : string.Join("; ", problems));
        }));
        checks.Add(Run("fts.integrity_check", cancellationToken, () =>
        {
            Db.Execute(connection, "INSERT INTO documents_fts(documents_fts, rank) VALUES ('integrity-check', 1)");
            Db.Execute(connection, "INSERT INTO documents_trash_fts(documents_trash_fts, rank) VALUES ('integrity-check', 1)");
            return (true, 0, "both full-text indexes match the documents");
        }));
        foreach (var (name, detail, sql) in RowChecks)
        {
            checks.Add(Run(name, cancellationToken, () =>
            {
                var count = Db.Scalar<long>(connection, sql);
                return (count == 0, count, count == 0 ? "none of " + detail : $"{count} {detail}");
            }));
        }

        var documents = CountOrZero(connection, "documents");
        return new VerificationReport
        {
            Checks = checks,
            Documents = documents,

            // Counted as StoreStatistics.VersionCount is: each document's current version and every replaced one.
            Versions = documents + CountOrZero(connection, "document_versions"),
            TagRows = CountOrZero(connection, "document_tags"),
            AuditEntries = CountOrZero(connection, "audit_log"),
            IndexedDocuments = CountOrZero(connection, "documents_fts_docsize") + CountOrZero(connection, "documents_trash_fts_docsize"),
            Duration = Stopwatch.GetElapsedTime(started),
        };
    }

    private static VerificationCheck Run(string name, CancellationToken cancellationToken, Func<(bool Passed, long Problems, string Detail)> check)
    {
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            var (passed, problems, detail) = check();
            return new VerificationCheck(name, passed, problems, detail);
        }
        catch (SqliteException e) when (!cancellationToken.IsCancellationRequested)
        {
            return new VerificationCheck(name, false, 1, "could not run: " + SqliteErrors.Reason(e));
        }
    }

    private static long CountOrZero(SqliteConnection connection, string table)
    {
        try
        {
            return Db.Scalar<long>(connection, $"SELECT count(*) FROM {table}");
        }
        catch (SqliteException)
        {
            return 0;
        }
    }
}
