using Microsoft.Extensions.Logging;

namespace DocStore.Hosting;

/// <summary>The hosting layer's log messages, source-generated (no formatting cost when the level is off).</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Warning, "Slow DocStore call: {Operation} took {Milliseconds:F1} ms (error: {Error}).")]
    public static partial void SlowOperation(ILogger logger, string operation, double milliseconds, string error);

    [LoggerMessage(2, LogLevel.Information, "DocStore opened {Path} (fast path {FastPath}).")]
    public static partial void Opened(ILogger logger, string path, bool fastPath);

    [LoggerMessage(3, LogLevel.Error, "DocStore maintenance task {Task} failed; it runs again at its next interval.")]
    public static partial void MaintenanceFailed(ILogger logger, string task, Exception error);

    [LoggerMessage(4, LogLevel.Debug, "DocStore maintenance task {Task} finished in {Milliseconds:F1} ms.")]
    public static partial void MaintenanceDone(ILogger logger, string task, double milliseconds);
}
