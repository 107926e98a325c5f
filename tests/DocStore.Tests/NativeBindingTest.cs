using DocStore.TestHost;
using DocStore.Tests.Infrastructure;

namespace DocStore.Tests;

/// <summary>
/// A refused keyed open must leave the process as it was. Run in child processes: which native SQLite
/// a process binds is process-wide, and a wrong binding ends in a native crash no test can catch.
/// </summary>
public sealed class NativeBindingTest
{
    [Fact]
    public async Task A_refused_keyed_open_leaves_backup_blob_io_and_every_store_api_working()
    {
        using var temp = new TempDirectory();
        var (code, output, error) = await ChildProcess.RunAsync("refused-key-then-sqlite", [temp.Path]);
        Assert.True(code == 0, $"exit code {code}\n{output}\n{error}");
        Assert.Contains("ok", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_keyed_open_after_sqlite_was_used_throws_instead_of_crashing()
    {
        using var temp = new TempDirectory();
        var (code, output, error) = await ChildProcess.RunAsync("sqlite-then-key", [temp.Path]);
        Assert.True(code == 0, $"exit code {code}\n{output}\n{error}");
        Assert.Contains("ok", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_cipher_library_is_reported_with_how_to_install_it_and_changes_nothing()
    {
        using var temp = new TempDirectory();
        var (code, output, error) = await ChildProcess.RunAsync("missing-cipher-library", [temp.Path]);
        Assert.True(code == 0, $"exit code {code}\n{output}\n{error}");
        Assert.Contains("ok", output, StringComparison.Ordinal);
    }
}
