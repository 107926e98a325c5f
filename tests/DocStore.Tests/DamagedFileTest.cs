using DocStore.Fast;
using DocStore.Tests.Infrastructure;

namespace DocStore.Tests;

/// <summary>
/// A damaged file is reported as damaged, with what to do, by every public call on both paths: never a
/// raw SqliteException, never blamed on the caller's query. A file missing part of its schema is refused at open.
/// </summary>
public sealed class DamagedFileTest
{
    private static async Task<string> StoreWithDocumentsAsync(TempDirectory temp, int count = 300)
    {
        var path = temp.File("damaged.db");
        await using var store = new LocalStorageSystem(new DocStoreOptions { DatabasePath = path });
        await store.CreateManyAsync(Enumerable.Range(0, count).Select(i => Docs.New(title: "doc " + i, content: "damage test body " + new string('x', 400))));
        return path;
    }

    [Fact]
    public async Task Garbage_in_a_leaf_page_of_documents_makes_every_read_throw_a_typed_corruption_error_on_both_paths()
    {
        using var temp = new TempDirectory();
        var path = await StoreWithDocumentsAsync(temp);
        FileDamage.GarbleLeafPage(path, "documents");

        await using var store = new OptimizedStorageSystem(new OptimizedStorageOptions { DatabasePath = path, EnableAccessTracking = false });
        foreach (var fastPath in new[] { true, false })
        {
            store.FastPathEnabled = fastPath;
            var ids = Enumerable.Range(1, 300).Select(i => (long)i).ToArray();
            await AssertCorruptAsync(() => store.GetStatisticsAsync());
            await AssertCorruptAsync(() => store.ListAsync(new ListQuery { PageSize = 1000 }));
            await AssertCorruptAsync(() => store.GetManyAsync(ids));
            await AssertCorruptAsync(() => store.SearchAsync(new SearchQuery { Text = "damage", PageSize = 1000 }));
            await AssertCorruptAsync(async () =>
            {
                foreach (var id in ids)
                {
                    await store.GetAsync(id);
                }
            });
        }
    }

    private static async Task AssertCorruptAsync(Func<Task> read)
    {
        var e = await Assert.ThrowsAsync<StoreCorruptedException>(read);
        Assert.Equal(StorageErrorKind.Corrupt, e.Kind);
        Assert.Contains("damaged", e.Message, StringComparison.Ordinal);
        Assert.Contains("backup", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("DROP TABLE documents_fts", "documents_fts")]
    [InlineData("DROP TABLE document_versions", "document_versions")]
    [InlineData("DROP INDEX ix_documents_created", "ix_documents_created")]
    [InlineData("DROP VIEW documents_fts_source", "documents_fts_source")]
    [InlineData("CREATE TRIGGER documents_fts_insert AFTER INSERT ON documents BEGIN SELECT 1; END", "documents_fts_insert")]
    public async Task A_file_missing_part_of_its_schema_is_refused_at_open(string damage, string named)
    {
        using var temp = new TempDirectory();
        var path = await StoreWithDocumentsAsync(temp, 3);
        SqliteProbe.Execute(path, damage);
        var before = await File.ReadAllBytesAsync(path);
        foreach (var open in new Func<IDocumentStore>[]
        {
            () => new LocalStorageSystem(new DocStoreOptions { DatabasePath = path }),
            () => new OptimizedStorageSystem(new OptimizedStorageOptions { DatabasePath = path }),
        })
        {
            var e = Assert.Throws<StoreCorruptedException>(open);
            Assert.Contains(named, e.Message, StringComparison.Ordinal);
            Assert.Contains("backup", e.Message, StringComparison.Ordinal);
        }

        Assert.Equal(before, await File.ReadAllBytesAsync(path));
    }

    [Fact]
    public async Task A_file_whose_documents_table_was_dropped_is_refused_at_open()
    {
        using var temp = new TempDirectory();
        var path = await StoreWithDocumentsAsync(temp, 3);
        SqliteProbe.Execute(path, "PRAGMA foreign_keys = OFF; DROP TABLE documents_fts; DROP VIEW documents_fts_source; DROP TABLE document_tags; DROP TABLE document_versions; DROP TABLE documents;");
        var e = Assert.Throws<StoreCorruptedException>(() => new LocalStorageSystem(new DocStoreOptions { DatabasePath = path }));
        Assert.Contains("'documents' is missing", e.Message, StringComparison.Ordinal);
    }
}
