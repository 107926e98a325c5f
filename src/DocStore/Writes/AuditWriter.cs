using Microsoft.Data.Sqlite;

namespace DocStore.Writes;

/// <summary>Appends rows to the audit log, on a statement prepared once on the writer connection. Used under the write lock.</summary>
internal sealed class AuditWriter : IDisposable
{
    private const int MaxErrorLength = 2000;

    private readonly SqliteCommand _insert;
    private readonly SqliteParameter _at;
    private readonly SqliteParameter _operation;
    private readonly SqliteParameter _documentId;
    private readonly SqliteParameter _version;
    private readonly SqliteParameter _actor;
    private readonly SqliteParameter _outcome;
    private readonly SqliteParameter _error;
    private readonly SqliteParameter _duration;

    public AuditWriter(SqliteConnection connection)
    {
        _insert = PreparedStatement.Create(connection,
            "INSERT INTO audit_log (at, operation, document_id, version, actor, outcome, error, duration_us) "
            + "VALUES ($at, $operation, $document_id, $version, $actor, $outcome, $error, $duration_us) RETURNING id");
        _at = PreparedStatement.Parameter(_insert, "$at");
        _operation = PreparedStatement.Parameter(_insert, "$operation");
        _documentId = PreparedStatement.Parameter(_insert, "$document_id");
        _version = PreparedStatement.Parameter(_insert, "$version");
        _actor = PreparedStatement.Parameter(_insert, "$actor");
        _outcome = PreparedStatement.Parameter(_insert, "$outcome");
        _error = PreparedStatement.Parameter(_insert, "$error");
        _duration = PreparedStatement.Parameter(_insert, "$duration_us");
    }

    /// <summary>Appends one row, in <paramref name="transaction"/> or (when null) in its own autocommit.</summary>
    public void Append(long at, AuditOperation operation, long? documentId, int? version, string actor, AuditOutcome outcome, string? error, long durationMicroseconds, SqliteTransaction? transaction)
    {
        _at.Value = at;
        _operation.Value = operation.ToString();
        _documentId.Value = (object?)documentId ?? DBNull.Value;
        _version.Value = (object?)version ?? DBNull.Value;
        _actor.Value = actor;
        _outcome.Value = outcome.ToString();
        _error.Value = error is null ? DBNull.Value : error.Length > MaxErrorLength ? error[..MaxErrorLength] : error;
        _duration.Value = durationMicroseconds;
        _insert.Transaction = transaction;
        LastId = (long)_insert.ExecuteScalar()!;
    }

    /// <summary>The id of the row appended last (ids only grow: the highest so far).</summary>
    public long LastId { get; private set; }

    public void Dispose() => _insert.Dispose();
}
