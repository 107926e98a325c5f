namespace DocStore;

/// <summary>How far a <see cref="LocalStorageSystem.CopyToAsync"/> has come: documents first (with their versions), then the audit log.</summary>
/// <param name="Documents">Documents copied so far.</param>
/// <param name="AuditEntries">Audit rows copied so far.</param>
public sealed record CopyProgress(long Documents, long AuditEntries);
