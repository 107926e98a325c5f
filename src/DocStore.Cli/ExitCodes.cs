namespace DocStore.Cli;

/// <summary>The tool's exit codes (documented in the README and in <c>docstore --help</c>).</summary>
internal static class ExitCodes
{
    /// <summary>Done.</summary>
    public const int Ok = 0;

    /// <summary>The operation failed (I/O, storage, an unexpected error); the message says why.</summary>
    public const int Failed = 1;

    /// <summary>Bad arguments: unknown command or option, missing value, invalid number.</summary>
    public const int Usage = 2;

    /// <summary>verify found the store damaged, or the file is not a readable store.</summary>
    public const int Damaged = 3;

    /// <summary>A store file, input file or document that was named does not exist.</summary>
    public const int NotFound = 4;

    /// <summary>A key problem: wrong or missing key, or SQLCipher not installed.</summary>
    public const int Key = 5;

    /// <summary>import finished but some files or lines were bad or some documents invalid (each reported).</summary>
    public const int Partial = 6;

    public const string Help = "Exit codes: 0 ok, 1 failed, 2 bad arguments, 3 damaged store, 4 not found, 5 key problem, 6 import partly done.";
}
