namespace DocStore.Validation;

/// <summary>An update's fields after validation: null means "leave as it is"; language and source path can also be cleared.</summary>
internal sealed class ValidatedUpdate
{
    public string? Title { get; init; }

    public string? Type { get; init; }

    public DocumentStatus? Status { get; init; }

    public string? Content { get; init; }

    public string? Format { get; init; }

    /// <summary>Whether the update sets the language (to <see cref="Language"/>, null clearing it).</summary>
    public bool SetsLanguage { get; init; }

    public string? Language { get; init; }

    /// <summary>Whether the update sets the source path (to <see cref="SourcePath"/>, null clearing it).</summary>
    public bool SetsSourcePath { get; init; }

    public string? SourcePath { get; init; }

    public IReadOnlyList<string>? Tags { get; init; }

    public string? Metadata { get; init; }

    public int? ExpectedVersion { get; init; }
}
