using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace DocStore.Hosting;

/// <summary>
/// The names under which a hosted store reports: an <see cref="ActivitySource"/> with one activity per store
/// call, and instruments on the <c>DocStore</c> meter (the fast path's cache and pool instruments share it).
/// </summary>
public static class DocStoreInstrumentation
{
    /// <summary>Name of the activity source and of the meter.</summary>
    public const string Name = "DocStore";

    /// <summary>Histogram of store call durations in seconds, tagged <c>docstore.operation</c> and, on failure, <c>error.type</c>.</summary>
    public const string OperationDuration = "docstore.operation.duration";

    /// <summary>Counter of documents written (created, updated, deleted, restored), tagged <c>docstore.operation</c>.</summary>
    public const string DocumentsWritten = "docstore.documents.written";

    /// <summary>Histogram of how many writes committed together in one transaction (group commit), recorded by the store's writer.</summary>
    public const string WriteGroupSize = "docstore.write.group_size";

    /// <summary>Counter of maintenance runs (checkpoint, optimize), tagged <c>docstore.task</c> and <c>outcome</c>.</summary>
    public const string MaintenanceRuns = "docstore.maintenance.runs";

    /// <summary>Tag naming the store call (for example <c>get</c>, <c>create</c>, <c>search</c>).</summary>
    public const string OperationTag = "docstore.operation";

    internal static readonly ActivitySource Source = new(Name);
}
