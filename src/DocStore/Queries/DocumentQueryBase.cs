namespace DocStore;

/// <summary>Filters and paging shared by <see cref="ListQuery"/> and <see cref="SearchQuery"/>.</summary>
public abstract class DocumentQueryBase
{
    /// <summary>The largest page size a query accepts.</summary>
    public const int MaxPageSize = 1000;

    /// <summary>Only documents of this type.</summary>
    public string? Type { get; init; }

    /// <summary>Only documents with this status. Null means every status except <see cref="DocumentStatus.Deleted"/>.</summary>
    public DocumentStatus? Status { get; init; }

    /// <summary>Only documents that carry all of these tags (normalised like stored tags).</summary>
    public IReadOnlyCollection<string>? Tags { get; init; }

    /// <summary>Only documents whose metadata matches every one of these key/value filters.</summary>
    public IReadOnlyCollection<MetadataFilter>? Metadata { get; init; }

    /// <summary>Created at or after this time.</summary>
    public DateTimeOffset? CreatedFrom { get; init; }

    /// <summary>Created before this time.</summary>
    public DateTimeOffset? CreatedTo { get; init; }

    /// <summary>Updated at or after this time.</summary>
    public DateTimeOffset? UpdatedFrom { get; init; }

    /// <summary>Updated before this time.</summary>
    public DateTimeOffset? UpdatedTo { get; init; }

    /// <summary>The 1-based page number.</summary>
    public int Page { get; init; } = 1;

    /// <summary>Items per page, 1 to <see cref="MaxPageSize"/>.</summary>
    public int PageSize { get; init; } = 20;
}
