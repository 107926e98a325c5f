namespace DocStore;

/// <summary>How <see cref="IDocumentStore.ImportAsync"/> reads and commits a stream of documents.</summary>
public sealed class ImportOptions
{
    /// <summary>Documents committed per transaction: 1 to 10,000. Memory holds one batch. Default 1,000.</summary>
    public int BatchSize { get; init; } = 1_000;

    /// <summary>
    /// Skip documents that fail validation (each is reported in <see cref="ImportResult.Rejections"/> and
    /// audited as rejected) instead of stopping at the first. Default false.
    /// </summary>
    public bool SkipInvalid { get; init; }

    /// <summary>
    /// Skip documents already stored: one with the same <see cref="NewDocument.SourcePath"/> when it has one,
    /// otherwise one with the same content hash. Makes an import safe to run again. Default false.
    /// </summary>
    public bool SkipExisting { get; init; }

    /// <summary>Told after every batch.</summary>
    public IProgress<ImportProgress>? Progress { get; init; }
}
