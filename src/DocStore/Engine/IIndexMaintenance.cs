namespace DocStore.Engine;

/// <summary>Upkeep of the full-text index in the background, between write groups.</summary>
internal interface IIndexMaintenance : IAsyncDisposable
{
    /// <summary>Upkeep steps that did work so far.</summary>
    long Steps { get; }

    /// <summary>Called after a group of writes changed the index.</summary>
    void IndexChanged();

    /// <summary>Does all pending upkeep now; returns the steps that did work.</summary>
    Task<int> RunAsync(CancellationToken cancellationToken);
}
