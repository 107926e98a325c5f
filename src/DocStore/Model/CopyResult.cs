namespace DocStore;

/// <summary>What <see cref="LocalStorageSystem.CopyToAsync"/> left in the destination, and the destination's check afterwards.</summary>
/// <param name="Documents">Documents the destination holds from the source, with their ids, tags, read counts and status (deleted ones included).</param>
/// <param name="Versions">Replaced versions the destination holds (the history each document's current version follows).</param>
/// <param name="AuditEntries">Audit rows the destination holds, with their ids and times.</param>
/// <param name="Verification">The destination's <see cref="IDocumentStore.VerifyAsync"/> report after the copy.</param>
/// <param name="Duration">How long this call took, the check included.</param>
public sealed record CopyResult(long Documents, long Versions, long AuditEntries, VerificationReport Verification, TimeSpan Duration)
{
    /// <summary>Documents an interrupted copy had already written, found matching the source and kept (0 for a new destination).</summary>
    public long ResumedDocuments { get; init; }

    /// <summary>Audit rows an interrupted copy had already written (0 for a new destination).</summary>
    public long ResumedAuditEntries { get; init; }

    /// <summary>Whether this call resumed an interrupted copy.</summary>
    public bool Resumed => ResumedDocuments > 0 || ResumedAuditEntries > 0;
}
