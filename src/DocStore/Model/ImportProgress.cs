namespace DocStore;

/// <summary>How far an import has come.</summary>
/// <param name="Read">Documents read from the stream.</param>
/// <param name="Created">Documents created.</param>
/// <param name="Updated">Documents stored already with other fields, written as a new version.</param>
/// <param name="Unchanged">Documents stored already exactly so, left alone.</param>
/// <param name="Rejected">Documents rejected by validation.</param>
/// <param name="Elapsed">Time since the import started.</param>
public sealed record ImportProgress(long Read, long Created, long Updated, long Unchanged, long Rejected, TimeSpan Elapsed);
