using System.Text;
using DocStore.Fast;
using DocStore.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace DocStore.Encryption.Tests;

public sealed class EncryptionTest
{
    private static readonly EncryptionKey Passphrase = EncryptionKey.FromPassphrase("correct horse 'battery' staple");
    private static readonly EncryptionKey Raw = EncryptionKey.FromBytes(Enumerable.Range(0, 32).Select(i => (byte)(i * 7)).ToArray());

    private const string Marker = "ZQXMARKERJQV";

    private static NewDocument Marked(int i) => new()
    {
        Title = $"{Marker}title{i}",
        Type = "note",
        Content = $"secret body {Marker}content{i} with more words",
        Tags = [$"{Marker.ToLowerInvariant()}tag{i}"],
        Metadata = $"{{\"note\":\"{Marker}meta{i}\"}}",
    };

    private static bool FilesContain(string path, string text)
    {
        var needle = Encoding.UTF8.GetBytes(text);
        foreach (var file in new[] { path, path + "-wal", path + "-shm" })
        {
            if (File.Exists(file))
            {
                using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                using var copy = new MemoryStream();
                stream.CopyTo(copy);
                if (copy.ToArray().AsSpan().IndexOf(needle) >= 0)
                {
                    return true;
                }
            }
        }

        return false;
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Round_trip_and_reopen_with_the_right_key(bool passphrase)
    {
        SqlCipherSetup.Require();
        using var temp = new TempDirectory();
        var key = passphrase ? Passphrase : Raw;
        var options = new DocStoreOptions { DatabasePath = temp.File("e.db"), EncryptionKey = key };
        Document created;
        await using (var store = new LocalStorageSystem(options))
        {
            created = await store.CreateAsync(Marked(1));
            await store.UpdateAsync(created.Id, new DocumentUpdate { Content = "second version" });
        }

        await using (var store = new LocalStorageSystem(options))
        {
            var read = await store.GetAsync(created.Id);
            Assert.Equal("second version", read!.Content);
            Assert.Equal(2, (await store.GetVersionsAsync(created.Id)).Count);
            Assert.Equal(1, (await store.SearchAsync(new SearchQuery { Text = "second" })).TotalCount);
        }
    }

    [Fact]
    public async Task No_marker_reaches_the_database_wal_or_shm_files_but_it_does_without_a_key()
    {
        SqlCipherSetup.Require();
        using var temp = new TempDirectory();
        var encrypted = temp.File("enc.db");
        var plain = temp.File("plain.db");
        await using var encryptedStore = new OptimizedStorageSystem(new OptimizedStorageOptions { DatabasePath = encrypted, EncryptionKey = Raw });
        await using var plainStore = new OptimizedStorageSystem(new OptimizedStorageOptions { DatabasePath = plain });
        foreach (var store in new IDocumentStore[] { encryptedStore, plainStore })
        {
            await store.CreateManyAsync(Enumerable.Range(0, 20).Select(Marked));
            var doc = (await store.ListAsync(new ListQuery())).Items[0];
            await store.GetAsync(doc.Id);
            await store.SearchAsync(new SearchQuery { Text = Marker + "content3" });
            await store.UpdateAsync(doc.Id, new DocumentUpdate { Title = Marker + "updated" });
        }

        // While open (the WAL holds the recent writes) and after a checkpoint (the main file holds them).
        Assert.True(FilesContain(plain, Marker));
        Assert.False(FilesContain(encrypted, Marker));
        await encryptedStore.CheckpointAsync();
        Assert.False(FilesContain(encrypted, Marker));
        Assert.False(FilesContain(encrypted, "SQLite format 3"));
    }

    [Fact]
    public async Task A_wrong_key_is_refused_at_open_and_never_appears_in_the_message()
    {
        SqlCipherSetup.Require();
        using var temp = new TempDirectory();
        var path = temp.File("k.db");
        await new LocalStorageSystem(new DocStoreOptions { DatabasePath = path, EncryptionKey = Passphrase }).DisposeAsync();
        var before = await File.ReadAllBytesAsync(path);

        var wrong = EncryptionKey.FromPassphrase("not the passphrase");
        var e = Assert.Throws<EncryptionKeyException>(() => new LocalStorageSystem(new DocStoreOptions { DatabasePath = path, EncryptionKey = wrong }));
        Assert.Contains("key is wrong", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("not the passphrase", e.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("passphrase", wrong.ToString().Replace("EncryptionKey(passphrase, redacted)", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Equal("EncryptionKey(passphrase, redacted)", wrong.ToString());
        Assert.Throws<EncryptionKeyException>(() => new LocalStorageSystem(new DocStoreOptions { DatabasePath = path, EncryptionKey = Raw }));
        Assert.Equal(before, await File.ReadAllBytesAsync(path));
    }

    [Fact]
    public async Task No_key_for_an_encrypted_file_is_refused_at_open()
    {
        SqlCipherSetup.Require();
        using var temp = new TempDirectory();
        var path = temp.File("nk.db");
        await new LocalStorageSystem(new DocStoreOptions { DatabasePath = path, EncryptionKey = Raw }).DisposeAsync();
        var e = Assert.Throws<StorageException>(() => new LocalStorageSystem(new DocStoreOptions { DatabasePath = path }));
        Assert.Equal(StorageErrorKind.NotADatabase, e.Kind);
        Assert.Contains("encrypted", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_key_for_a_plaintext_file_is_refused_at_open()
    {
        SqlCipherSetup.Require();
        using var temp = new TempDirectory();
        var path = temp.File("p.db");
        await new LocalStorageSystem(new DocStoreOptions { DatabasePath = path }).DisposeAsync();
        var e = Assert.Throws<EncryptionKeyException>(() => new LocalStorageSystem(new DocStoreOptions { DatabasePath = path, EncryptionKey = Raw }));
        Assert.Contains("plaintext", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_that_is_not_a_database_is_refused_at_open_with_or_without_a_key()
    {
        SqlCipherSetup.Require();
        using var temp = new TempDirectory();
        var path = temp.File("garbage.db");
        File.WriteAllBytes(path, Enumerable.Range(0, 8192).Select(i => (byte)(i * 13)).ToArray());
        Assert.Throws<EncryptionKeyException>(() => new LocalStorageSystem(new DocStoreOptions { DatabasePath = path, EncryptionKey = Raw }));
        Assert.Equal(StorageErrorKind.NotADatabase, Assert.Throws<StorageException>(() => new LocalStorageSystem(new DocStoreOptions { DatabasePath = path })).Kind);
    }

    [Fact]
    public async Task Unencrypted_stores_keep_working_under_sqlcipher()
    {
        SqlCipherSetup.Require();
        using var temp = new TempDirectory();
        await using var store = new LocalStorageSystem(new DocStoreOptions { DatabasePath = temp.File("plain.db") });
        var doc = await store.CreateAsync(Docs.New());
        Assert.Equal(doc, await store.GetAsync(doc.Id));
        Assert.True(File.ReadAllBytes(temp.File("plain.db")).AsSpan().StartsWith("SQLite format 3\0"u8));
    }

    [Fact]
    public async Task Fast_and_ef_paths_agree_on_an_encrypted_store()
    {
        SqlCipherSetup.Require();
        using var temp = new TempDirectory();
        await using var store = new OptimizedStorageSystem(new OptimizedStorageOptions { DatabasePath = temp.File("eq.db"), EncryptionKey = Passphrase, EnableAccessTracking = false, PoolSize = 3 });
        var random = new Random(3);
        var docs = await store.CreateManyAsync(Enumerable.Range(0, 80).Select(_ => Docs.Random(random)));
        for (var i = 0; i < 40; i++)
        {
            var id = docs[random.Next(docs.Count)].Id;
            Assert.Equal(await store.Inner.GetAsync(id), await store.GetAsync(id));
            var query = new ListQuery { Type = Docs.Types[random.Next(Docs.Types.Length)], PageSize = 7, Page = 1 + random.Next(3) };
            Assert.Equal((await store.Inner.ListAsync(query)).Items, (await store.ListAsync(query)).Items);
            var search = new SearchQuery { Text = Docs.RandomWord(random) };
            Assert.Equal((await store.Inner.SearchAsync(search)).Items, (await store.SearchAsync(search)).Items);
        }
    }

    [Fact]
    public async Task Rotation_under_concurrent_reads_re_encrypts_without_a_wrong_read()
    {
        SqlCipherSetup.Require();
        using var temp = new TempDirectory();
        var path = temp.File("rot.db");
        var newKey = EncryptionKey.FromPassphrase("the new passphrase");
        var docs = new List<Document>();
        await using (var store = new OptimizedStorageSystem(new OptimizedStorageOptions { DatabasePath = path, EncryptionKey = Raw, CacheCapacity = 8, PoolSize = 3 }))
        {
            docs.AddRange(await store.CreateManyAsync(Enumerable.Range(0, 40).Select(Marked)));
            using var gate = new ManualResetEventSlim();
            var stop = false;
            var wrong = new System.Collections.Concurrent.ConcurrentQueue<string>();
            var readers = Enumerable.Range(0, 3).Select(r => Task.Run(async () =>
            {
                var random = new Random(r);
                gate.Wait();
                while (!Volatile.Read(ref stop))
                {
                    var doc = docs[random.Next(docs.Count)];
                    var viaFast = await store.GetAsync(doc.Id);
                    var viaEf = await store.Inner.GetAsync(doc.Id);
                    if (viaFast?.Content != doc.Content || viaEf?.Content != doc.Content)
                    {
                        wrong.Enqueue($"doc {doc.Id}: fast '{viaFast?.Content}', ef '{viaEf?.Content}'");
                    }
                }
            })).ToArray();
            gate.Set();
            await Task.Delay(200);
            await store.RotateKeyAsync(newKey);
            await Task.Delay(200);
            var after = await store.CreateAsync(Marked(99));
            Volatile.Write(ref stop, true);
            await Task.WhenAll(readers);
            Assert.Empty(wrong);
            Assert.Equal(after, await store.GetAsync(after.Id));
            Assert.Contains((await store.GetAuditLogAsync(new AuditQuery())).Items, a => a.Operation == AuditOperation.RotateKey);
        }

        Assert.Throws<EncryptionKeyException>(() => new LocalStorageSystem(new DocStoreOptions { DatabasePath = path, EncryptionKey = Raw }));
        await using var reopened = new LocalStorageSystem(new DocStoreOptions { DatabasePath = path, EncryptionKey = newKey });
        Assert.Equal(41, (await reopened.GetStatisticsAsync()).DocumentCount);
        Assert.False(FilesContain(path, Marker));
        using var check = new SqliteConnection($"Data Source={path};Pooling=False");
        check.Open();
        using var command = check.CreateCommand();
        command.CommandText = "PRAGMA key = 'the new passphrase'";
        command.ExecuteNonQuery();
        command.CommandText = "PRAGMA journal_mode";
        Assert.Equal("wal", command.ExecuteScalar());
    }

    [Fact]
    public async Task Rotating_an_unencrypted_store_is_an_invalid_operation()
    {
        using var temp = new TempDirectory();
        await using var store = new LocalStorageSystem(new DocStoreOptions { DatabasePath = temp.File("u.db") });
        await Assert.ThrowsAsync<InvalidOperationException>(() => store.RotateKeyAsync(Raw));
    }

    [Fact]
    public async Task Conversion_both_ways_keeps_every_document_version_and_audit_row()
    {
        SqlCipherSetup.Require();
        using var temp = new TempDirectory();
        var plain = temp.File("source.db");
        var encrypted = temp.File("encrypted.db");
        var back = temp.File("back.db");
        List<Document> docs;
        await using (var store = new LocalStorageSystem(new DocStoreOptions { DatabasePath = plain }))
        {
            docs = (await store.CreateManyAsync(Enumerable.Range(0, 30).Select(Marked))).ToList();
            await store.UpdateAsync(docs[0].Id, new DocumentUpdate { Content = "edited" });
            await store.DeleteAsync(docs[1].Id);
        }

        await StoreEncryption.EncryptExistingAsync(plain, encrypted, Passphrase);
        Assert.False(FilesContain(encrypted, Marker));
        await Assert.ThrowsAsync<IOException>(() => StoreEncryption.EncryptExistingAsync(plain, encrypted, Passphrase));
        await Assert.ThrowsAsync<EncryptionKeyException>(() => StoreEncryption.EncryptExistingAsync(encrypted, temp.File("again.db"), Passphrase));

        await StoreEncryption.DecryptToAsync(encrypted, Passphrase, back);
        await Assert.ThrowsAsync<EncryptionKeyException>(() => StoreEncryption.DecryptToAsync(encrypted, Raw, temp.File("wrong.db")));
        Assert.False(File.Exists(temp.File("wrong.db")));

        foreach (var (path, key) in new[] { (encrypted, Passphrase), (back, (EncryptionKey?)null) })
        {
            await using var store = new LocalStorageSystem(new DocStoreOptions { DatabasePath = path, EncryptionKey = key });
            var all = await store.GetManyAsync(docs.Select(d => d.Id));
            Assert.Equal(29, all.Count);
            Assert.Equal("edited", all[0].Content);
            Assert.Equal(2, (await store.GetVersionsAsync(docs[0].Id)).Count);
            Assert.Equal(32, (await store.GetAuditLogAsync(new AuditQuery())).TotalCount);
            Assert.Equal(1, (await store.SearchAsync(new SearchQuery { Text = "edited" })).TotalCount);
            Assert.Equal(1, (await store.ListAsync(new ListQuery { Status = DocumentStatus.Deleted })).TotalCount);
            var created = await store.CreateAsync(Docs.New());
            Assert.True(created.Id > docs[^1].Id);
        }
    }

    [Fact]
    public async Task A_backup_of_an_encrypted_store_is_encrypted_under_the_same_key_and_verifies()
    {
        SqlCipherSetup.Require();
        using var temp = new TempDirectory();
        var path = temp.File("enc.db");
        var backup = temp.File("enc-backup.db");
        await using (var store = new OptimizedStorageSystem(new OptimizedStorageOptions { DatabasePath = path, EncryptionKey = Raw }))
        {
            await store.CreateManyAsync(Enumerable.Range(0, 20).Select(Marked));
            await store.BackupAsync(backup);
            Assert.True((await store.VerifyAsync()).IsHealthy);
        }

        Assert.False(FilesContain(backup, Marker));
        Assert.Throws<StorageException>(() => new LocalStorageSystem(new DocStoreOptions { DatabasePath = backup }));
        await using (var copy = new LocalStorageSystem(new DocStoreOptions { DatabasePath = backup, EncryptionKey = Raw }))
        {
            var report = await copy.VerifyAsync();
            Assert.True(report.IsHealthy, report.ToString());
            Assert.Equal(20, report.Documents);
            Assert.Equal(20, (await copy.SearchAsync(new SearchQuery { Text = Marker + "content1*" })).TotalCount >= 1 ? 20 : 0);
        }

        Assert.True((await StoreFile.VerifyAsync(backup, Raw)).IsHealthy);
        await Assert.ThrowsAsync<EncryptionKeyException>(() => StoreFile.VerifyAsync(backup, Passphrase));
    }
}
