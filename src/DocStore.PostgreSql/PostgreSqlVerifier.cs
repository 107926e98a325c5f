using System.Diagnostics;
using DocStore.Sql;
using Npgsql;

namespace DocStore.PostgreSql;

/// <summary>The store's consistency checks on PostgreSQL: the same row checks as on SQLite, in PostgreSQL's SQL (the server checks its own pages).</summary>
internal static class PostgreSqlVerifier
{
    private static readonly (string Name, string Detail, string Sql)[] RowChecks =
    [
        ("schema", "schema versions other than this build's",
            $"SELECT count(*) FROM docstore_schema WHERE version <> {PostgreSqlSchema.CurrentVersion}"),
        StoreChecks.VersionsHistory,
        ("tags.rows_match", "documents whose tag rows differ from their tag list",
            "SELECT count(*) FROM documents d WHERE (SELECT count(*) FROM jsonb_array_elements_text(d.tags::jsonb)) <> (SELECT count(*) FROM document_tags t WHERE t.document_id = d.id) "
            + "OR EXISTS (SELECT 1 FROM jsonb_array_elements_text(d.tags::jsonb) j(tag) WHERE NOT EXISTS (SELECT 1 FROM document_tags t WHERE t.document_id = d.id AND t.tag = j.tag))"),
        ("search.vectors", "documents whose search vector is missing",
            "SELECT count(*) FROM documents d WHERE d.search IS NULL"),
        ("reads.rows", "documents without their row of read counts (document_reads)",
            "SELECT count(*) FROM documents d WHERE NOT EXISTS (SELECT 1 FROM document_reads r WHERE r.document_id = d.id)"),
        StoreChecks.CountsMatch,
        StoreChecks.AuditCurrentVersion,
    ];

    public static VerificationReport Run(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var checks = new List<VerificationCheck>();
        foreach (var (name, detail, sql) in RowChecks)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                var count = Scalar(connection, sql, cancellationToken);
                checks.Add(new VerificationCheck(name, count == 0, count, count == 0 ? "none of " + detail : $"{count} {detail}"));
            }
            catch (PostgresException e) when (!cancellationToken.IsCancellationRequested)
            {
                checks.Add(new VerificationCheck(name, false, 1, "could not run: " + e.MessageText));
            }
        }

        var documents = Scalar(connection, "SELECT count(*) FROM documents", cancellationToken);
        return new VerificationReport
        {
            Checks = checks,
            Documents = documents,
            Versions = documents + Scalar(connection, "SELECT count(*) FROM document_versions", cancellationToken),
            TagRows = Scalar(connection, "SELECT count(*) FROM document_tags", cancellationToken),
            AuditEntries = Scalar(connection, "SELECT count(*) FROM audit_log", cancellationToken),
            IndexedDocuments = Scalar(connection, "SELECT count(*) FROM documents WHERE search IS NOT NULL", cancellationToken),
            Duration = Stopwatch.GetElapsedTime(started),
        };
    }

    private static long Scalar(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        using var command = new NpgsqlCommand(sql, connection);
        using var cancel = cancellationToken.Register(command.Cancel);
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
