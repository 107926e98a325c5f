namespace DocStore.Cli;

/// <summary>
/// The library's messages name its API (written for developers: "Run VerifyAsync ..."); a person at the
/// command line needs the tool's own command instead. Each entry rewrites one such phrase.
/// </summary>
internal static class ToolWords
{
    private static readonly (string Api, string Tool)[] Phrases =
    [
        ("Run VerifyAsync", $"Run '{CliApp.ToolName} verify'"),
        ("StoreEncryption.EncryptExistingAsync", $"'{CliApp.ToolName} encrypt'"),
        ("), and call DocStore.SqlCipher.UseSystemLibrary() at start-up, before anything else in the process uses SQLite.", ")."),
    ];

    /// <summary>The message with API names replaced by the tool's commands.</summary>
    public static string Of(string message)
    {
        foreach (var (api, tool) in Phrases)
        {
            message = message.Replace(api, tool, StringComparison.Ordinal);
        }

        return message;
    }
}
