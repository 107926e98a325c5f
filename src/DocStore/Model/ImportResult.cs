namespace DocStore;

/// <summary>What an import did.</summary>
public sealed class ImportResult
{
    /// <summary>Documents committed.</summary>
    public required long Created { get; init; }

    /// <summary>Documents skipped because they were stored already (<see cref="ImportOptions.SkipExisting"/>).</summary>
    public required long Skipped { get; init; }

    /// <summary>Documents rejected by validation (<see cref="ImportOptions.SkipInvalid"/>).</summary>
    public required long Rejected { get; init; }

    /// <summary>The first 1,000 rejections, each with the position of its document in the stream.</summary>
    public required IReadOnlyList<ImportRejection> Rejections { get; init; }
}
