using DocStore.Data;

namespace DocStore.Writes;

/// <summary>Adds audit log rows to a write's context; they are saved with the group (or, for a group that failed, alone).</summary>
internal static class AuditWriter
{
    private const int MaxErrorLength = 2000;

    public static AuditEntryEntity Add(DocStoreDbContext db, long at, AuditOperation operation, long? documentId, int? version, string actor, AuditOutcome outcome, string? error, long durationMicroseconds, DocumentEntity? document = null)
    {
        var row = new AuditEntryEntity
        {
            At = at,
            Operation = operation,
            DocumentId = documentId,
            Version = version,
            Actor = actor,
            Outcome = outcome,
            Error = error is { Length: > MaxErrorLength } ? error[..MaxErrorLength] : error,
            DurationMicroseconds = durationMicroseconds,
            Document = document,
        };
        db.Entry(row).State = Microsoft.EntityFrameworkCore.EntityState.Added;
        return row;
    }
}
