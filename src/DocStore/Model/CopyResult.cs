namespace DocStore;

/// <summary>What <see cref="LocalStorageSystem.CopyToAsync"/> copied, and the destination's check afterwards.</summary>
/// <param name="Documents">Documents copied, with their ids, tags, read counts and status (deleted ones included).</param>
/// <param name="Versions">Replaced versions copied (the history each document's current version follows).</param>
/// <param name="AuditEntries">Audit rows copied, with their ids and times.</param>
/// <param name="Verification">The destination's <see cref="IDocumentStore.VerifyAsync"/> report after the copy.</param>
/// <param name="Duration">How long the copy took, the check included.</param>
public sealed record CopyResult(long Documents, long Versions, long AuditEntries, VerificationReport Verification, TimeSpan Duration);
