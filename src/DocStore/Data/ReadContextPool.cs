using DocStore.Engine;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.Logging;

namespace DocStore.Data;

/// <summary>
/// The pooled EF Core contexts the plain read path uses. Its own type, built on the first read that needs it:
/// building EF Core's model costs 150-200 ms, and while no member of <see cref="LocalStorageSystem"/> that
/// runs at open names an EF Core type, opening a store does not even load EF Core's assembly.
/// </summary>
internal sealed class ReadContextPool
{
    private readonly PooledDbContextFactory<DocStoreDbContext> _factory;

    public ReadContextPool(IStorageEngine engine, ILoggerFactory? loggers)
    {
        var options = new DbContextOptionsBuilder<DocStoreDbContext>()
            .UseQueryTrackingBehavior(QueryTrackingBehavior.NoTracking);
        engine.UseEngine(options, writer: null);

        if (loggers is not null)
        {
            // EF Core's own messages (commands, warnings) go where the store's go.
            options.UseLoggerFactory(loggers);
        }

        _factory = new PooledDbContextFactory<DocStoreDbContext>(options.Options);
    }

    /// <summary>A context from the pool; disposing it returns it.</summary>
    public DocStoreDbContext Create() => _factory.CreateDbContext();
}
