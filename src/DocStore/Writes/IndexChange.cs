namespace DocStore.Writes;

/// <summary>One full-text index change: add a document's values, or remove the values it was indexed with.</summary>
/// <param name="Remove">Remove (true) or add (false).</param>
/// <param name="Trash">In the trash's index (soft-deleted documents) rather than the live one.</param>
/// <param name="Id">The document.</param>
/// <param name="Title">Its title.</param>
/// <param name="Content">Its content.</param>
/// <param name="Tags">Its tags as stored (a JSON array); indexed as words.</param>
internal readonly record struct IndexChange(bool Remove, bool Trash, long Id, string Title, string Content, string Tags);
