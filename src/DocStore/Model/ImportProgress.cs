namespace DocStore;

/// <summary>How far an import has come.</summary>
/// <param name="Read">Documents read from the stream.</param>
/// <param name="Created">Documents committed.</param>
/// <param name="Skipped">Documents skipped because they were stored already.</param>
/// <param name="Rejected">Documents rejected by validation.</param>
/// <param name="Elapsed">Time since the import started.</param>
public sealed record ImportProgress(long Read, long Created, long Skipped, long Rejected, TimeSpan Elapsed);
