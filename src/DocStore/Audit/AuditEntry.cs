namespace DocStore;

/// <summary>One row of the append-only audit log.</summary>
public sealed class AuditEntry
{
    /// <summary>The entry's sequence number.</summary>
    public required long Id { get; init; }

    /// <summary>When the write finished (UTC).</summary>
    public required DateTimeOffset At { get; init; }

    /// <summary>What was attempted.</summary>
    public required AuditOperation Operation { get; init; }

    /// <summary>The document concerned, when known.</summary>
    public long? DocumentId { get; init; }

    /// <summary>The document's version after the write, when it succeeded.</summary>
    public int? Version { get; init; }

    /// <summary>Who asked for the write.</summary>
    public required string Actor { get; init; }

    /// <summary>How it ended.</summary>
    public required AuditOutcome Outcome { get; init; }

    /// <summary>The error message when it did not succeed.</summary>
    public string? Error { get; init; }

    /// <summary>How long the write took.</summary>
    public required TimeSpan Duration { get; init; }
}
