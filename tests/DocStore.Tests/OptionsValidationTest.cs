using DocStore.Fast;
using DocStore.Tests.Infrastructure;

namespace DocStore.Tests;

/// <summary>Every option out of range is refused when a store opens, with a message naming it, and no file is created.</summary>
public sealed class OptionsValidationTest
{
    public static TheoryData<string, Func<string, OptimizedStorageOptions>> BadOptions => new()
    {
        { "BusyTimeout", p => new() { DatabasePath = p, BusyTimeout = TimeSpan.MaxValue } },
        { "BusyTimeout", p => new() { DatabasePath = p, BusyTimeout = TimeSpan.FromSeconds(-1) } },
        { "Durability", p => new() { DatabasePath = p, Durability = (DurabilityMode)7 } },
        { "MaxTags", p => new() { DatabasePath = p, MaxTags = -1 } },
        { "MaxContentBytes", p => new() { DatabasePath = p, MaxContentBytes = 0 } },
        { "MaxContentBytes", p => new() { DatabasePath = p, MaxContentBytes = int.MaxValue } },
        { "MaxMetadataBytes", p => new() { DatabasePath = p, MaxMetadataBytes = -5 } },
        { "ResultCacheEntries", p => new() { DatabasePath = p, ResultCacheEntries = -1 } },
        { "Sqlite.MmapSizeBytes", p => new() { DatabasePath = p, Sqlite = new SqliteOptions { MmapSizeBytes = -1 } } },
        { "Sqlite.PageCacheKiB", p => new() { DatabasePath = p, Sqlite = new SqliteOptions { PageCacheKiB = -1 } } },
        { "Sqlite.WalCheckpointPages", p => new() { DatabasePath = p, Sqlite = new SqliteOptions { WalCheckpointPages = 99 } } },
        { "Sqlite.WalCheckpointPages", p => new() { DatabasePath = p, Sqlite = new SqliteOptions { WalCheckpointPages = 1_000_001 } } },
        { "CacheCapacity", p => new() { DatabasePath = p, CacheCapacity = -1 } },
        { "CacheCapacity", p => new() { DatabasePath = p, CacheCapacity = 2 } },
        { "PoolSize", p => new() { DatabasePath = p, PoolSize = 0 } },
        { "PoolWaitTimeout", p => new() { DatabasePath = p, PoolWaitTimeout = TimeSpan.Zero } },
        { "TrackingFlushInterval", p => new() { DatabasePath = p, TrackingFlushInterval = TimeSpan.FromDays(2) } },
        { "DatabasePath", _ => new() { DatabasePath = "  " } },
    };

    [Theory]
    [MemberData(nameof(BadOptions))]
    public void An_out_of_range_option_is_refused_at_construction_with_its_name(string option, Func<string, OptimizedStorageOptions> make)
    {
        using var temp = new TempDirectory();
        var options = make(temp.File("o.db"));
        var fast = Assert.Throws<ArgumentException>(() => new OptimizedStorageSystem(options));
        Assert.Contains(option, fast.Message, StringComparison.Ordinal);
        Assert.Equal(option, fast.ParamName);
        if (options.GetType() == typeof(OptimizedStorageOptions) && option is "BusyTimeout" or "Durability" or "MaxTags" or "MaxContentBytes" or "MaxMetadataBytes")
        {
            // The write path alone checks its own options too.
            Assert.Throws<ArgumentException>(() => new LocalStorageSystem(options));
        }

        Assert.False(File.Exists(temp.File("o.db")));
    }

    [Fact]
    public void All_problems_are_listed_together()
    {
        var errors = new OptimizedStorageOptions { DatabasePath = "x.db", MaxTags = -1, PoolSize = 0 }.GetValidationErrors();
        Assert.Equal(2, errors.Count);
        Assert.StartsWith("MaxTags:", errors[0], StringComparison.Ordinal);
        Assert.StartsWith("PoolSize:", errors[1], StringComparison.Ordinal);
        Assert.Empty(new OptimizedStorageOptions { DatabasePath = "x.db" }.GetValidationErrors());
    }

    [Fact]
    public async Task A_zero_busy_timeout_fails_a_blocked_write_quickly_instead_of_hanging()
    {
        await using var f = new StoreFixture(path => new DocStoreOptions { DatabasePath = path, BusyTimeout = TimeSpan.Zero });
        using var blocker = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={f.Path};Pooling=False");
        blocker.Open();
        using (var begin = blocker.CreateCommand())
        {
            begin.CommandText = "BEGIN IMMEDIATE";
            begin.ExecuteNonQuery();
        }

        var e = await Assert.ThrowsAsync<StorageException>(() => f.Store.CreateAsync(Docs.New()).WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(StorageErrorKind.Busy, e.Kind);
        Assert.Equal(5, Assert.IsType<Microsoft.Data.Sqlite.SqliteException>(e.InnerException).SqliteErrorCode);
        Assert.Contains("BusyTimeout", e.Message, StringComparison.Ordinal);
    }
}
