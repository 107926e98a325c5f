namespace DocStore;

/// <summary>One search result.</summary>
/// <param name="Document">The matching document.</param>
/// <param name="Snippet">A short extract with the matched terms highlighted.</param>
/// <param name="Score">The BM25 score as FTS5 reports it: lower (more negative) is more relevant.</param>
public sealed record SearchHit(Document Document, string Snippet, double Score);
