using DocStore.TestHost;
using DocStore.Tests.Infrastructure;

namespace DocStore.Tests.Fast;

/// <summary>
/// Disposing a store while calls run must not end the process. Run in a child process: the failure this
/// guards against was a native crash (an access violation reading an unmapped WAL index), which no test can catch.
/// </summary>
public sealed class DisposeUnderLoadTest
{
    [Fact]
    public async Task DisposeAsync_while_readers_and_a_writer_run_ends_every_call_typed_and_loses_no_acknowledged_write_on_every_read_path()
    {
        using var temp = new TempDirectory();
        var (code, output, error) = await ChildProcess.RunAsync("dispose-under-load", [temp.Path, "100"], TimeSpan.FromMinutes(5));
        Assert.True(code == 0, $"exit code {code}\n{output}\n{error}");
        Assert.Contains("ok: 100 rounds", output, StringComparison.Ordinal);
    }
}
