using DocStore.TestHost;
namespace DocStore.Tests.Infrastructure;

/// <summary>A second DocStore instance in another process (DocStore.TestHost's store-server), driven line by line.</summary>
public sealed class StoreServerProcess : IDisposable
{
    private static readonly TimeSpan AnswerTimeout = TimeSpan.FromSeconds(60);
    private readonly ChildProcess _child;

    private StoreServerProcess(ChildProcess child) => _child = child;

    public static async Task<StoreServerProcess> StartAsync(string path)
    {
        var child = ChildProcess.Start("store-server", path);
        var ready = await child.ReadLineAsync(AnswerTimeout);
        if (ready != "ready")
        {
            child.Dispose();
            throw new InvalidOperationException($"The store server did not start: '{ready}'. {child.Error}");
        }

        return new StoreServerProcess(child);
    }

    /// <summary>Sends a command and returns its answer's words after "ok"; throws with the answer when it is an error.</summary>
    public async Task<string[]> SendAsync(string command)
    {
        await _child.WriteLineAsync(command);
        var answer = await _child.ReadLineAsync(AnswerTimeout) ?? throw new TimeoutException($"No answer to '{command}'. {_child.Error}");
        if (!answer.StartsWith("ok", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"'{command}' answered '{answer}'");
        }

        return answer.Split(' ')[1..];
    }

    public async Task<int> UpdateAsync(long id, string content, int? expected = null) =>
        int.Parse((await SendAsync($"update {id} {content}" + (expected is { } e ? $" {e}" : string.Empty)))[1]);

    public void Dispose()
    {
        try
        {
            _child.WriteLineAsync("exit").Wait(TimeSpan.FromSeconds(5));
            _child.WaitForExitAsync(TimeSpan.FromSeconds(30)).Wait();
        }
        catch (Exception e) when (e is AggregateException or TimeoutException or InvalidOperationException or IOException)
        {
            // Killed below if it did not exit.
        }

        _child.Dispose();
    }
}
