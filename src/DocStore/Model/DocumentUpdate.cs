namespace DocStore;

/// <summary>
/// A partial update: every property left null keeps the stored value. To clear
/// <see cref="Language"/> or <see cref="SourcePath"/>, set it to an empty string.
/// </summary>
public sealed class DocumentUpdate
{
    /// <summary>A new title, or null to keep it.</summary>
    public string? Title { get; init; }

    /// <summary>A new type slug, or null to keep it.</summary>
    public string? Type { get; init; }

    /// <summary>A new status, or null to keep it. Use delete to set <see cref="DocumentStatus.Deleted"/>.</summary>
    public DocumentStatus? Status { get; init; }

    /// <summary>New content, or null to keep it.</summary>
    public string? Content { get; init; }

    /// <summary>A new format slug, or null to keep it.</summary>
    public string? Format { get; init; }

    /// <summary>A new language tag, "" to clear it, or null to keep it.</summary>
    public string? Language { get; init; }

    /// <summary>A new source path, "" to clear it, or null to keep it.</summary>
    public string? SourcePath { get; init; }

    /// <summary>The complete new set of tags, or null to keep them.</summary>
    public IEnumerable<string>? Tags { get; init; }

    /// <summary>New metadata (a JSON object, replacing the old one whole), or null to keep it.</summary>
    public string? Metadata { get; init; }

    /// <summary>
    /// When set, the update applies only if the stored version equals this value; otherwise
    /// <see cref="VersionConflictException"/> is thrown and nothing changes.
    /// </summary>
    public int? ExpectedVersion { get; init; }
}
