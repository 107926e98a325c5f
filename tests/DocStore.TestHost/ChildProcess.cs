using System.Diagnostics;
using System.Text;

namespace DocStore.TestHost;

/// <summary>
/// Runs a scenario of DocStore.TestHost in a process of its own (used by the tests, and by campaigns that
/// start and kill writers): for process-wide state (the native
/// SQLite binding), crashes that cannot be caught in-process, kills, and a second instance on a file.
/// </summary>
public sealed class ChildProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly StringBuilder _error = new();
    private readonly SemaphoreSlim _lines = new(0);
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _pending = new();

    private ChildProcess(string scenario, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(DotnetHost())
        {
            // Each child selects its own native SQLite (SQLCipher or the bundled one); nothing is inherited.
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(typeof(ChildProcess).Assembly.Location);
        start.ArgumentList.Add(scenario);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        _process = new Process { StartInfo = start };
        _process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is { } line)
            {
                lock (_output)
                {
                    _output.AppendLine(line);
                }

                _pending.Enqueue(line);
                _lines.Release();
            }
        };
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is { } line)
            {
                lock (_error)
                {
                    _error.AppendLine(line);
                }
            }
        };
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public int Id => _process.Id;

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public string Error
    {
        get
        {
            lock (_error)
            {
                return _error.ToString();
            }
        }
    }

    /// <summary>Starts a scenario and returns at once.</summary>
    public static ChildProcess Start(string scenario, params string[] arguments) => new(scenario, arguments);

    /// <summary>Runs a scenario to its end (at most <paramref name="timeout"/>, default two minutes) and returns its exit code and output.</summary>
    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(string scenario, string[] arguments, TimeSpan? timeout = null)
    {
        using var child = Start(scenario, arguments);
        var code = await child.WaitForExitAsync(timeout ?? TimeSpan.FromMinutes(2));
        return (code, child.Output, child.Error);
    }

    /// <summary>
    /// The next line the child printed, or null if it printed none within <paramref name="timeout"/>. A timeout
    /// already past (a caller's deadline minus the clock, computed after a preemption) takes only a line already
    /// there: a loaded run failed with SemaphoreSlim refusing -6.5 ms.
    /// </summary>
    public async Task<string?> ReadLineAsync(TimeSpan timeout)
    {
        if (!await _lines.WaitAsync(timeout < TimeSpan.Zero ? TimeSpan.Zero : timeout))
        {
            return null;
        }

        _pending.TryDequeue(out var line);
        return line;
    }

    /// <summary>After the child exited: every line it printed that was not read yet (waits for the end of its output).</summary>
    public async Task<List<string>> RemainingLinesAsync()
    {
        // WaitForExitAsync returns once the redirected output reached its end, so nothing is still in the pipe.
        await _process.WaitForExitAsync();
        var lines = new List<string>();
        while (_pending.TryDequeue(out var line))
        {
            lines.Add(line);
        }

        return lines;
    }

    /// <summary>Writes a line to the child's standard input.</summary>
    public async Task WriteLineAsync(string line)
    {
        await _process.StandardInput.WriteLineAsync(line);
        await _process.StandardInput.FlushAsync();
    }

    /// <summary>SIGKILL: the child gets no chance to clean up, as in a crash or power cut of the process.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            Kill();
            throw new TimeoutException($"The child process did not finish within {timeout}. Output:\n{Output}\nErrors:\n{Error}");
        }

        // WaitForExitAsync returns after the output streams reach their end, so Output is complete.
        return _process.ExitCode;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            Kill();
        }

        _process.Dispose();
        _lines.Dispose();
    }

    /// <summary>
    /// The dotnet host: the one running this process when it is one (a campaign starting writers), else the
    /// one dotnet test names in DOTNET_HOST_PATH, else the one on PATH.
    /// </summary>
    private static string DotnetHost() =>
        Environment.ProcessPath is { } self && Path.GetFileNameWithoutExtension(self) == "dotnet" ? self
        : Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host
        : "dotnet";
}
