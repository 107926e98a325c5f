namespace DocStore.Notes.Rendering;

/// <summary>A document's sanitized HTML, and why it is shown as plain text when it could not be rendered.</summary>
internal sealed record RenderedDocument(string Html, string? Notice);
