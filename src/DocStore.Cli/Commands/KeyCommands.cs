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
            access.RequireFile("rekey");
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
        var newKey = NewKeyFile();
        return CopyCommand(
            context,
            new Command("encrypt", "Write an encrypted copy of a plain store.") { newKey },
            "encrypted",
            (parsed, _) => ReadNewKey(parsed.GetValue(newKey)!, context),
            (access, key, path, ct) => StoreEncryption.EncryptExistingAsync(access.Path, path, key, ct));
    }

    public static Command Decrypt(CliContext context) => CopyCommand(
        context,
        new Command("decrypt", "Write a plain copy of an encrypted store (its key from --key-file or DOCSTORE_KEY)."),
        "plain",
        (_, access) => access.Key ?? throw new EncryptionKeyException("decrypt needs the store's key (--key-file or DOCSTORE_KEY)."),
        (access, key, path, ct) => StoreEncryption.DecryptToAsync(access.Path, key, path, ct));

    /// <summary><paramref name="command"/> made one that writes a <paramref name="kind"/> copy of the store to a new file DEST.</summary>
    private static Command CopyCommand(
        CliContext context,
        Command command,
        string kind,
        Func<ParseResult, StoreAccess, EncryptionKey> keyOf,
        Func<StoreAccess, EncryptionKey, string, CancellationToken, Task> copy)
    {
        var destination = new Argument<string>("DEST") { Description = $"The {kind} copy to write (must not exist)." };
        command.Arguments.Add(destination);
        command.SetAction((parsed, ct) => CliApp.Guard(parsed, context, async access =>
        {
            var key = keyOf(parsed, access);
            RequireSource(access);
            StoreAccess.UseSqlCipherIfKeyed(key);
            var path = Path.GetFullPath(parsed.GetValue(destination)!);
            await copy(access, key, path, ct).ConfigureAwait(false);
            await context.Out.WriteLineAsync($"Wrote the {kind} copy {path}.").ConfigureAwait(false);
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static EncryptionKey ReadNewKey(string file, CliContext context) =>
        StoreAccess.ReadKey(file, context) ?? throw new EncryptionKeyException($"The key file {file} is empty.");

    private static void RequireSource(StoreAccess access)
    {
        access.RequireFile("encrypt/decrypt");
        if (!File.Exists(access.Path))
        {
            throw new FileNotFoundException($"There is no store at {access.Path} (name one with --store).", access.Path);
        }
    }
}
