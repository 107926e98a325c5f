namespace DocStore.Validation;

/// <summary>A new document's fields after validation and normalisation, ready to store.</summary>
internal sealed class ValidatedFields
{
    public required string Title { get; init; }

    public required string Type { get; init; }

    public required DocumentStatus Status { get; init; }

    public required string Content { get; init; }

    public required string Format { get; init; }

    public string? Language { get; init; }

    public string? SourcePath { get; init; }

    public required IReadOnlyList<string> Tags { get; init; }

    public required string Metadata { get; init; }
}
