namespace DocStore;

/// <summary>What a caller supplies to create a document. Validated before anything is written.</summary>
public sealed class NewDocument
{
    /// <summary>The title, 1 to 255 characters after trimming; no control characters.</summary>
    public required string Title { get; init; }

    /// <summary>A lowercase slug: a letter, then lowercase letters, digits, '-', '+' or '.', at most 32 characters.</summary>
    public required string Type { get; init; }

    /// <summary>The text. Its UTF-8 size must not exceed <see cref="DocStoreOptions.MaxContentBytes"/>.</summary>
    public required string Content { get; init; }

    /// <summary>The initial status; <see cref="DocumentStatus.Deleted"/> is not allowed.</summary>
    public DocumentStatus Status { get; init; } = DocumentStatus.Active;

    /// <summary>The content format slug; defaults to <c>markdown</c>.</summary>
    public string Format { get; init; } = "markdown";

    /// <summary>An optional language tag such as <c>en</c> or <c>pt-BR</c>.</summary>
    public string? Language { get; init; }

    /// <summary>An optional source file path (at most 1024 characters).</summary>
    public string? SourcePath { get; init; }

    /// <summary>Tags; trimmed, lowercased and de-duplicated on write.</summary>
    public IEnumerable<string>? Tags { get; init; }

    /// <summary>Metadata as JSON text; must be a JSON object. Null means <c>{}</c>.</summary>
    public string? Metadata { get; init; }
}
