using System.CommandLine;

namespace DocStore.Cli.Commands;

/// <summary>
/// <c>rekey</c>, <c>encrypt</c> and <c>decrypt</c> (SQLCipher). New keys come from files, like the store's own key.
/// </summary>
internal static class KeyCommands
{
    private static Option<string> NewKeyFile() => new("--new-key-file")
    {
        Description = "A file whose first line is the new passphrase.",
        Required = true,
    };

    public static Command Rekey(CliContext context)
    {
        var newKey = NewKeyFile();
        var command = new Command("rekey", "Re-encrypt the store under a new key (the store's current key from --key-file or DOCSTORE_KEY).") { newKey };
        command.SetAction((parsed, ct) => CliApp.Guard(parsed, context, async access =>
        {
            var key = ReadNewKey(parsed.GetValue(newKey)!, context);
            if (access.Key is null)
            {
                throw new EncryptionKeyException("rekey needs the store's current key (--key-file or DOCSTORE_KEY); to encrypt a plain store use 'encrypt'.");
            }

            await using var store = access.Open();
            await store.RotateKeyAsync(key, ct).ConfigureAwait(false);
            await context.Out.WriteLineAsync($"Re-keyed {access.Path}.").ConfigureAwait(false);
            return ExitCodes.Ok;
        }));
        return command;
    }

    public static Command Encrypt(CliContext context)
    {
        var destination = new Argument<string>("DEST") { Description = "The encrypted copy to write (must not exist)." };
        var newKey = NewKeyFile();
        var command = new Command("encrypt", "Write an encrypted copy of a plain store.") { destination, newKey };
        command.SetAction((parsed, ct) => CliApp.Guard(parsed, context, async access =>
        {
            var key = ReadNewKey(parsed.GetValue(newKey)!, context);
            RequireSource(access);
            StoreAccess.UseSqlCipherIfKeyed(key);
            var path = Path.GetFullPath(parsed.GetValue(destination)!);
            await StoreEncryption.EncryptExistingAsync(access.Path, path, key, ct).ConfigureAwait(false);
            await context.Out.WriteLineAsync($"Wrote the encrypted copy {path}.").ConfigureAwait(false);
            return ExitCodes.Ok;
        }));
        return command;
    }

    public static Command Decrypt(CliContext context)
    {
        var destination = new Argument<string>("DEST") { Description = "The plain copy to write (must not exist)." };
        var command = new Command("decrypt", "Write a plain copy of an encrypted store (its key from --key-file or DOCSTORE_KEY).") { destination };
        command.SetAction((parsed, ct) => CliApp.Guard(parsed, context, async access =>
        {
            var key = access.Key ?? throw new EncryptionKeyException("decrypt needs the store's key (--key-file or DOCSTORE_KEY).");
            RequireSource(access);
            StoreAccess.UseSqlCipherIfKeyed(key);
            var path = Path.GetFullPath(parsed.GetValue(destination)!);
            await StoreEncryption.DecryptToAsync(access.Path, key, path, ct).ConfigureAwait(false);
            await context.Out.WriteLineAsync($"Wrote the plain copy {path}.").ConfigureAwait(false);
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static EncryptionKey ReadNewKey(string file, CliContext context) =>
        StoreAccess.ReadKey(file, context) ?? throw new EncryptionKeyException($"The key file {file} is empty.");

    private static void RequireSource(StoreAccess access)
    {
        if (!File.Exists(access.Path))
        {
            throw new FileNotFoundException($"There is no store at {access.Path} (name one with --store).", access.Path);
        }
    }
}
