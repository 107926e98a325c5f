namespace DocStore;

/// <summary>One document an import rejected.</summary>
/// <param name="Index">Its position in the stream, from 0.</param>
/// <param name="Errors">Every invalid field.</param>
public sealed record ImportRejection(long Index, IReadOnlyList<ValidationError> Errors);
