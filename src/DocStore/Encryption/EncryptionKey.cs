using System.Security.Cryptography;

namespace DocStore;

/// <summary>
/// The key of an encrypted store: a passphrase (SQLCipher derives the key with PBKDF2-HMAC-SHA512)
/// or a raw 256-bit key (used as is, no derivation). Never printed: <see cref="ToString"/> is redacted
/// and no DocStore message includes the key.
/// </summary>
public sealed class EncryptionKey
{
    private readonly string _pragmaValue;

    private EncryptionKey(string pragmaValue, bool isRaw)
    {
        _pragmaValue = pragmaValue;
        IsRaw = isRaw;
    }

    /// <summary>Whether this is a raw 256-bit key (true) or a passphrase (false).</summary>
    public bool IsRaw { get; }

    /// <summary>The value for <c>PRAGMA key</c> / <c>rekey</c> / <c>ATTACH ... KEY</c>, quoted as SQLite wants it (pragmas take no parameters).</summary>
    internal string PragmaValue => _pragmaValue;

    /// <summary>A key derived from a passphrase by SQLCipher.</summary>
    /// <param name="passphrase">The passphrase; not empty.</param>
    /// <returns>The key.</returns>
    public static EncryptionKey FromPassphrase(string passphrase)
    {
        ArgumentException.ThrowIfNullOrEmpty(passphrase);
        if (passphrase.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException("The passphrase must not contain NUL characters.", nameof(passphrase));
        }

        return new EncryptionKey("'" + passphrase.Replace("'", "''", StringComparison.Ordinal) + "'", isRaw: false);
    }

    /// <summary>A raw 256-bit key, used without derivation (opening is faster than with a passphrase).</summary>
    /// <param name="key">Exactly 32 bytes.</param>
    /// <returns>The key.</returns>
    public static EncryptionKey FromBytes(ReadOnlySpan<byte> key)
    {
        if (key.Length != 32)
        {
            throw new ArgumentException($"A raw key must be 32 bytes (256 bits), not {key.Length}.", nameof(key));
        }

        return new EncryptionKey("\"x'" + Convert.ToHexString(key) + "'\"", isRaw: true);
    }

    /// <summary>A new random raw 256-bit key (store it safely: without it the data is gone).</summary>
    /// <returns>The key and its bytes.</returns>
    public static (EncryptionKey Key, byte[] Bytes) Generate()
    {
        var bytes = RandomNumberGenerator.GetBytes(32);
        return (FromBytes(bytes), bytes);
    }

    /// <inheritdoc />
    public override string ToString() => IsRaw ? "EncryptionKey(raw, redacted)" : "EncryptionKey(passphrase, redacted)";
}
