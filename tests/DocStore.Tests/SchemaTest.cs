using DocStore.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace DocStore.Tests;

public sealed class SchemaTest
{
    private static object? Raw(string path, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    [Fact]
    public async Task New_file_gets_schema_version_application_id_and_wal()
    {
        await using var f = new StoreFixture();
        Assert.Equal((long)DocStore.Sqlite.StoreSchema.CurrentVersion, f.Scalar("PRAGMA user_version"));
        Assert.Equal(0x44435354L, f.Scalar("PRAGMA application_id"));
        Assert.Equal("wal", f.Scalar("PRAGMA journal_mode"));
    }

    [Fact]
    public async Task File_from_a_newer_schema_is_refused_and_left_unchanged()
    {
        using var temp = new TempDirectory();
        var path = temp.File("newer.db");
        await new LocalStorageSystem(new DocStoreOptions { DatabasePath = path }).DisposeAsync();
        Raw(path, "PRAGMA user_version = 99");
        var before = await File.ReadAllBytesAsync(path);

        var e = Assert.Throws<SchemaVersionException>(() => new LocalStorageSystem(new DocStoreOptions { DatabasePath = path }));
        Assert.Equal(99, e.FileVersion);
        Assert.Equal(DocStore.Sqlite.StoreSchema.CurrentVersion, e.SupportedVersion);
        Assert.Contains("newer", e.Message, StringComparison.Ordinal);
        Assert.Equal(before, await File.ReadAllBytesAsync(path));
    }

    [Fact]
    public void Another_applications_database_is_refused()
    {
        using var temp = new TempDirectory();
        var path = temp.File("other.db");
        Raw(path, "CREATE TABLE invoices (id INTEGER PRIMARY KEY)");
        Assert.Throws<SchemaVersionException>(() => new LocalStorageSystem(new DocStoreOptions { DatabasePath = path }));
        Raw(path, "PRAGMA application_id = 1234");
        Assert.Throws<SchemaVersionException>(() => new LocalStorageSystem(new DocStoreOptions { DatabasePath = path }));
        Assert.Equal(0L, Raw(path, "SELECT count(*) FROM sqlite_master WHERE name = 'documents'"));
    }

    [Fact]
    public void A_file_that_is_not_a_database_is_refused_with_a_storage_exception()
    {
        using var temp = new TempDirectory();
        var path = temp.File("garbage.db");
        File.WriteAllBytes(path, Enumerable.Range(0, 8192).Select(i => (byte)(i * 31)).ToArray());
        var e = Assert.Throws<StorageException>(() => new LocalStorageSystem(new DocStoreOptions { DatabasePath = path }));
        Assert.Equal(StorageErrorKind.NotADatabase, e.Kind);
        Assert.Contains("not a SQLite database", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_folder_is_refused_with_a_storage_exception()
    {
        using var temp = new TempDirectory();
        var e = Assert.Throws<StorageException>(() => new LocalStorageSystem(new DocStoreOptions { DatabasePath = temp.File("no/such/dir/x.db") }));
        Assert.Equal(StorageErrorKind.CannotOpen, e.Kind);
    }

    [Theory]
    [InlineData(DurabilityMode.Normal, 1L)]
    [InlineData(DurabilityMode.Full, 2L)]
    public async Task Durability_option_sets_synchronous_on_the_writer(DurabilityMode mode, long expected)
    {
        await using var f = new StoreFixture(path => new DocStoreOptions { DatabasePath = path, Durability = mode });
        var writer = f.Store.WriterConnectionForTests;
        using var command = writer.CreateCommand();
        command.CommandText = "PRAGMA synchronous";
        Assert.Equal(expected, command.ExecuteScalar());
        command.CommandText = "PRAGMA foreign_keys";
        Assert.Equal(1L, command.ExecuteScalar());
    }
}
