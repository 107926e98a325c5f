using DocStore.TestHost;
using DocStore.Tests.Infrastructure;

namespace DocStore.Tests;

/// <summary>
/// Durability shown by kill -9: a child writes at random and is killed at random moments; after each kill
/// the file verifies, is in WAL mode, holds every acknowledged write and no acknowledged hard delete, and
/// takes new writes. The short runs here; scripts/crash-test.sh runs the long ones quoted in the README.
/// </summary>
public sealed class DurabilityTest
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(5);

    [Fact]
    public async Task Twenty_kills_of_a_writer_lose_nothing_acknowledged_and_leave_a_whole_file()
    {
        using var temp = new TempDirectory();
        var (code, output, error) = await ChildProcess.RunAsync("crash-campaign", [temp.Path, "20", "normal"], Limit);
        Assert.True(code == 0, $"exit code {code}\n{output}\n{error}");
        Assert.StartsWith("ok: 20 kills", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ten_kills_of_a_writer_on_postgresql_lose_nothing_acknowledged_and_leave_a_whole_store()
    {
        using var temp = new TempDirectory();
        await using var db = new PostgresDatabase();
        var (code, output, error) = await ChildProcess.RunAsync("crash-campaign", [temp.Path, "10", "normal", "postgresql=" + db.ConnectionString], Limit);
        Assert.True(code == 0, $"exit code {code}\n{output}\n{error}");
        Assert.StartsWith("ok: 10 kills (normal, postgresql)", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Eight_immediate_shutdowns_of_the_postgresql_server_under_a_writer_lose_nothing_acknowledged()
    {
        var (code, output, error) = await ChildProcess.RunAsync("server-crash-campaign", ["8"], Limit);
        Assert.True(code == 0, $"exit code {code}\n{output}\n{error}");
        Assert.StartsWith("ok: 8 server crashes", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Kills_during_key_rotations_leave_a_file_that_opens_with_the_old_or_the_new_key_in_wal_mode()
    {
        using var temp = new TempDirectory();
        var (code, output, error) = await ChildProcess.RunAsync("rotation-campaign", [temp.Path, "12"], Limit);
        Assert.True(code == 0, $"exit code {code}\n{output}\n{error}");
        Assert.StartsWith("ok: 12 kills", output, StringComparison.Ordinal);
    }
}
