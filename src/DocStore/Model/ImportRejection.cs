namespace DocStore;

/// <summary>One document an import rejected.</summary>
/// <param name="Index">Its position in the stream, from 0.</param>
/// <param name="SourcePath">Its <see cref="NewDocument.SourcePath"/> (for a file: its full path), or null when it has none.</param>
/// <param name="Errors">Every invalid field.</param>
public sealed record ImportRejection(long Index, string? SourcePath, IReadOnlyList<ValidationError> Errors);
