namespace DocStore;

/// <summary>What <see cref="IDocumentStore.VerifyAsync"/> found: each check with its count of problems, and the sizes it looked at.</summary>
public sealed class VerificationReport
{
    /// <summary>Every check run, in order.</summary>
    public required IReadOnlyList<VerificationCheck> Checks { get; init; }

    /// <summary>Whether every check passed.</summary>
    public bool IsHealthy => Checks.All(c => c.Passed);

    /// <summary>Document rows (any status).</summary>
    public required long Documents { get; init; }

    /// <summary>Versions kept: every document's current version plus its replaced ones (as <see cref="StoreStatistics.VersionCount"/> counts them).</summary>
    public required long Versions { get; init; }

    /// <summary>Tag rows.</summary>
    public required long TagRows { get; init; }

    /// <summary>Audit rows.</summary>
    public required long AuditEntries { get; init; }

    /// <summary>Documents with a full-text entry.</summary>
    public required long IndexedDocuments { get; init; }

    /// <summary>How long the checks took.</summary>
    public required TimeSpan Duration { get; init; }

    /// <inheritdoc />
    public override string ToString() =>
        (IsHealthy ? "healthy" : "DAMAGED") + $": {Documents} documents, {Versions} versions, {TagRows} tag rows, {AuditEntries} audit rows, {IndexedDocuments} indexed\n"
        + string.Join('\n', Checks.Select(c => c.ToString()));
}
