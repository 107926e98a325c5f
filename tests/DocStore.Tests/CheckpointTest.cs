using DocStore.Tests.Infrastructure;

namespace DocStore.Tests;

/// <summary>
/// <see cref="SqliteOptions.WalCheckpointPages"/>: the writer copies the write-ahead log into the file when it holds that
/// many pages, so the log stays near that size however long writes go on, and a larger setting lets it grow further.
/// </summary>
public sealed class CheckpointTest
{
    // A WAL frame is a 24-byte header and one page; the file starts with a 32-byte header.
    private const int PageSize = 4096;
    private const int FrameSize = PageSize + 24;

    [Fact]
    public async Task The_writer_uses_the_configured_threshold_and_ten_thousand_pages_by_default()
    {
        Assert.Equal(10_000, new SqliteOptions().WalCheckpointPages);
        foreach (var pages in new[] { 10_000, 250 })
        {
            await using var f = new StoreFixture(path => new DocStoreOptions { DatabasePath = path, Sqlite = new SqliteOptions { WalCheckpointPages = pages } });
            using var command = f.Store.WriterConnectionForTests.CreateCommand();
            command.CommandText = "PRAGMA wal_autocheckpoint";
            Assert.Equal((long)pages, command.ExecuteScalar());
        }
    }

    [Fact]
    public async Task The_log_stays_near_the_threshold_under_steady_writes_and_grows_past_it_with_a_larger_one()
    {
        var small = await LargestLogInFrames(walCheckpointPages: 200);
        var large = await LargestLogInFrames(walCheckpointPages: 100_000);

        // Checked after each commit: a checkpoint starts once the log reaches the threshold, so the log is at most the
        // threshold and one more transaction's pages: a write here, or a background full-text merge step (256 pages).
        // With a threshold these writes never reach, the log holds all they wrote (about 5,000 pages).
        Assert.InRange(small, 200, 1_000);
        Assert.True(large > 2_000, $"with a threshold of 100,000 pages the log reached {large} frames; with 200 it reached {small}");
    }

    /// <summary>Writes 400 documents of about 8 KB one by one and returns the largest the log file grew, in frames.</summary>
    private static async Task<long> LargestLogInFrames(int walCheckpointPages)
    {
        await using var f = new StoreFixture(path => new DocStoreOptions { DatabasePath = path, Sqlite = new SqliteOptions { WalCheckpointPages = walCheckpointPages } });
        var random = new Random(7);
        var text = string.Join(' ', Enumerable.Range(0, 1_200).Select(_ => Docs.RandomWord(random)));
        long largest = 0;
        for (var i = 0; i < 400; i++)
        {
            await f.Store.CreateAsync(Docs.New(title: "Document " + i, content: i + " " + text));
            largest = Math.Max(largest, new FileInfo(f.Path + "-wal").Length);
        }

        Assert.Equal(400, f.Count("documents"));
        Assert.Equal("ok", f.IntegrityCheck());
        return (largest - 32) / FrameSize;
    }
}
