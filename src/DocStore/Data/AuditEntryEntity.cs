namespace DocStore.Data;

/// <summary>EF Core's row of <c>audit_log</c>. Append-only: triggers refuse UPDATE and DELETE.</summary>
internal sealed class AuditEntryEntity
{
    public long Id { get; set; }

    public long At { get; set; }

    public AuditOperation Operation { get; set; }

    public long? DocumentId { get; set; }

    /// <summary>The document a create's row is about, so EF Core fills <see cref="DocumentId"/> once the document has its id.</summary>
    public DocumentEntity? Document { get; set; }

    public int? Version { get; set; }

    public string Actor { get; set; } = string.Empty;

    public AuditOutcome Outcome { get; set; }

    public string? Error { get; set; }

    public long DurationMicroseconds { get; set; }
}
