using DocStore.Fast;
using DocStore.Tests.Infrastructure;

namespace DocStore.Tests;

/// <summary>In this process SQLite was initialised without SQLCipher: a key must be refused, never ignored.</summary>
public sealed class EncryptionUnavailableTest
{
    [Fact]
    public void A_key_without_a_cipher_capable_sqlite_is_refused_and_nothing_is_written()
    {
        using var temp = new TempDirectory();
        var path = temp.File("never.db");
        var key = EncryptionKey.FromPassphrase("secret passphrase");
        var e = Assert.Throws<EncryptionUnavailableException>(() => new LocalStorageSystem(new DocStoreOptions { DatabasePath = path, EncryptionKey = key }));
        Assert.Contains("will not write plaintext", e.Message, StringComparison.Ordinal);
        Assert.Contains("UseSystemLibrary", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret passphrase", e.ToString(), StringComparison.Ordinal);
        Assert.Throws<EncryptionUnavailableException>(() => new OptimizedStorageSystem(new OptimizedStorageOptions { DatabasePath = path, EncryptionKey = key }));
        Assert.False(File.Exists(path));
        Assert.False(SqlCipher.IsActive());
    }

    [Fact]
    public void Raw_keys_must_be_256_bits_and_passphrases_not_empty()
    {
        Assert.Throws<ArgumentException>(() => EncryptionKey.FromBytes(new byte[16]));
        Assert.Throws<ArgumentException>(() => EncryptionKey.FromPassphrase(string.Empty));
        var (key, bytes) = EncryptionKey.Generate();
        Assert.Equal(32, bytes.Length);
        Assert.True(key.IsRaw);
        Assert.DoesNotContain(Convert.ToHexString(bytes), key.ToString(), StringComparison.OrdinalIgnoreCase);
    }
}
