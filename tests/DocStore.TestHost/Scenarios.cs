namespace DocStore.TestHost;

/// <summary>Dispatches a scenario by name.</summary>
internal static class Scenarios
{
    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length == 0)
        {
            Console.Error.WriteLine("usage: DocStore.TestHost <scenario> [arguments]");
            return 2;
        }

        var rest = args[1..];
        try
        {
            return args[0] switch
            {
                "refused-key-then-sqlite" => await NativeBindingScenarios.RefusedKeyThenSqliteAsync(rest),
                "sqlite-then-key" => NativeBindingScenarios.SqliteThenKey(rest),
                "store-server" => await StoreServer.RunAsync(rest),
                "crash-writer" => await CrashWriter.RunAsync(rest),
                "crash-campaign" => await CrashCampaign.RunAsync(rest),
                "server-crash-campaign" => await ServerCrashCampaign.RunAsync(rest),
                "key-rotator" => await RotationCampaign.RunRotatorAsync(rest),
                "rotation-campaign" => await RotationCampaign.RunAsync(rest),
                "dispose-under-load" => await DisposeUnderLoad.RunAsync(rest),
                "missing-cipher-library" => await NativeBindingScenarios.MissingCipherLibraryAsync(rest),
                _ => Unknown(args[0]),
            };
        }
        catch (Exception e)
        {
            Console.Error.WriteLine("FAILED: " + e);
            return 1;
        }
    }

    private static int Unknown(string name)
    {
        Console.Error.WriteLine($"unknown scenario '{name}'");
        return 2;
    }
}
