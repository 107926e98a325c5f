namespace DocStore;

/// <summary>How <see cref="IDocumentStore.ImportAsync"/> reads and commits a stream of documents.</summary>
public sealed class ImportOptions
{
    /// <summary>Documents committed per transaction: 1 to 10,000. Memory holds one batch. Default 1,000.</summary>
    public int BatchSize { get; init; } = 1_000;

    /// <summary>
    /// Skip documents that fail validation (each is reported in <see cref="ImportResult.Rejections"/> with its
    /// source path, and audited as rejected) instead of stopping at the first. Default false.
    /// </summary>
    public bool SkipInvalid { get; init; }

    /// <summary>
    /// Match each document to one already stored (and not deleted), which makes an import safe to run again: by
    /// <see cref="NewDocument.SourcePath"/> when it has one (a file's identity), otherwise by content hash. A match
    /// whose fields (title, type, status, content, format, language, tags, metadata) are all the same is left alone
    /// and counted as unchanged; a match by source path whose fields differ is updated to them as a new version
    /// (audited; the old version stays restorable); anything else is created. So two documents are merged only when
    /// they have the same source path, or no source path and the same fields. Default false: every document is created.
    /// </summary>
    public bool MatchExisting { get; init; }

    /// <summary>Told after every batch.</summary>
    public IProgress<ImportProgress>? Progress { get; init; }
}
