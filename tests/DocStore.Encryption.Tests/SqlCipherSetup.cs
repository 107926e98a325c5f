using System.Runtime.CompilerServices;

namespace DocStore.Encryption.Tests;

/// <summary>Selects SQLCipher when this test assembly loads, before any test touches SQLite.</summary>
internal static class SqlCipherSetup
{
    public const string InstallHelp =
        "SQLCipher is not available: on Debian 12 add the bookworm-backports suite and run 'apt-get install -t bookworm-backports libsqlcipher1' (scripts/test.sh does this when run as root).";

    public static bool Loaded { get; private set; }

    [ModuleInitializer]
    internal static void Initialize() => Loaded = SqlCipher.TryUseSystemLibrary();

    /// <summary>Fails (never skips) the calling test when SQLCipher is missing, saying how to install it.</summary>
    public static void Require() => Assert.True(Loaded && SqlCipher.IsActive(), InstallHelp);
}
