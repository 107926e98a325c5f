namespace DocStore.Internal;

/// <summary>Aggregated reads of one document since the last flush.</summary>
/// <param name="DocumentId">The document.</param>
/// <param name="Count">Reads to add to <c>access_count</c>.</param>
internal readonly record struct AccessUpdate(long DocumentId, long Count);
