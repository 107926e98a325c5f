namespace DocStore;

/// <summary>What an import did.</summary>
public sealed class ImportResult
{
    /// <summary>Documents created.</summary>
    public required long Created { get; init; }

    /// <summary>Documents already stored under the same source path with other fields, written as a new version (<see cref="ImportOptions.MatchExisting"/>).</summary>
    public required long Updated { get; init; }

    /// <summary>Documents already stored exactly so, left alone (<see cref="ImportOptions.MatchExisting"/>).</summary>
    public required long Unchanged { get; init; }

    /// <summary>Documents rejected by validation (<see cref="ImportOptions.SkipInvalid"/>).</summary>
    public required long Rejected { get; init; }

    /// <summary>The first 1,000 rejections, each with its position in the stream, its source path and its errors.</summary>
    public required IReadOnlyList<ImportRejection> Rejections { get; init; }
}
