namespace DocStore.Import;

/// <summary>A JSON line that could not be read as a document.</summary>
/// <param name="Line">Its line number, from 1.</param>
/// <param name="Message">What is wrong with it.</param>
public sealed record JsonLineError(long Line, string Message);
