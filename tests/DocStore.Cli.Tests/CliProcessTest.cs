using DocStore.Tests.Infrastructure;

namespace DocStore.Cli.Tests;

/// <summary>
/// The tool as its own process: help, a command end to end, and every key command (SQLCipher binds process-wide,
/// so encryption is only ever exercised in a child process). Needs libsqlcipher1 (scripts/test.sh installs it).
/// </summary>
public sealed class CliProcessTest : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Help_and_an_import_in_a_child_process_with_the_default_store()
    {
        var help = await Cli.RunProcessAsync(_temp.Path, null, "--help");
        Assert.Equal(0, help.Exit);
        Assert.Contains("Exit codes:", help.Out, StringComparison.Ordinal);
        Assert.Contains("  docstore [command] [options]", help.Out, StringComparison.Ordinal);

        await File.WriteAllTextAsync(_temp.File("a.md"), "# A\n\nfirst", TestContext.Current.CancellationToken);
        var import = await Cli.RunProcessAsync(_temp.Path, null, "import", _temp.File("a.md"));
        Assert.Equal(0, import.Exit);
        Assert.True(File.Exists(_temp.File("docstore.db")), "the default store is docstore.db in the current folder");
        var get = await Cli.RunProcessAsync(_temp.Path, null, "get", "1");
        Assert.Contains("first", get.Out, StringComparison.Ordinal);
        Assert.Equal(2, (await Cli.RunProcessAsync(_temp.Path, null, "nonsense")).Exit);
    }

    [Fact]
    public async Task Encrypt_verify_with_the_key_wrong_key_rekey_and_decrypt()
    {
        await File.WriteAllTextAsync(_temp.File("a.md"), "# Secret\n\nclassified text", TestContext.Current.CancellationToken);
        Assert.Equal(0, (await Cli.RunProcessAsync(_temp.Path, null, "import", _temp.File("a.md"), "--store", "plain.db")).Exit);
        await File.WriteAllTextAsync(_temp.File("key1"), "first passphrase\n", TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(_temp.File("key2"), "second passphrase\n", TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(_temp.File("wrong"), "not the key\n", TestContext.Current.CancellationToken);

        var encrypt = await Cli.RunProcessAsync(_temp.Path, null, "encrypt", "enc.db", "--store", "plain.db", "--new-key-file", "key1");
        Assert.True(encrypt.Exit == 0, encrypt.Error);
        Assert.DoesNotContain("classified", await File.ReadAllTextAsync(_temp.File("enc.db"), TestContext.Current.CancellationToken), StringComparison.Ordinal);

        Assert.Equal(0, (await Cli.RunProcessAsync(_temp.Path, null, "verify", "--store", "enc.db", "--key-file", "key1")).Exit);
        var viaEnvironment = await Cli.RunProcessAsync(_temp.Path, new Dictionary<string, string> { ["DOCSTORE_KEY"] = "first passphrase" }, "get", "1", "--store", "enc.db");
        Assert.Contains("classified text", viaEnvironment.Out, StringComparison.Ordinal);

        var wrong = await Cli.RunProcessAsync(_temp.Path, null, "verify", "--store", "enc.db", "--key-file", "wrong");
        Assert.Equal(5, wrong.Exit);
        Assert.StartsWith("error: ", wrong.Error, StringComparison.Ordinal);

        // Without a key an encrypted file cannot be told from a damaged one: exit code 3, and the message says both.
        var keyless = await Cli.RunProcessAsync(_temp.Path, null, "verify", "--store", "enc.db");
        Assert.Equal(3, keyless.Exit);
        Assert.Contains("key", keyless.Error, StringComparison.Ordinal);
        Assert.Equal(4, (await Cli.RunProcessAsync(_temp.Path, null, "verify", "--store", "enc.db", "--key-file", "no-such-key-file")).Exit);

        Assert.Equal(0, (await Cli.RunProcessAsync(_temp.Path, null, "rekey", "--store", "enc.db", "--key-file", "key1", "--new-key-file", "key2")).Exit);
        Assert.Equal(5, (await Cli.RunProcessAsync(_temp.Path, null, "verify", "--store", "enc.db", "--key-file", "key1")).Exit);
        Assert.Equal(0, (await Cli.RunProcessAsync(_temp.Path, null, "verify", "--store", "enc.db", "--key-file", "key2")).Exit);

        Assert.Equal(0, (await Cli.RunProcessAsync(_temp.Path, null, "decrypt", "back.db", "--store", "enc.db", "--key-file", "key2")).Exit);
        var plain = await Cli.RunProcessAsync(_temp.Path, null, "get", "1", "--store", "back.db");
        Assert.Contains("classified text", plain.Out, StringComparison.Ordinal);
    }
}
