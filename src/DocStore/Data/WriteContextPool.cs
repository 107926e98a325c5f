using System.Data.Common;
using DocStore.Engine;
using DocStore.Writes;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.Logging;

namespace DocStore.Data;

/// <summary>
/// The pooled EF Core contexts of the write path, all on the single writer connection (only the writer task uses
/// them, one at a time). Change tracking is on: writes go through it. EF Core's own savepoints are off, since the
/// pipeline sets one per write itself. Built on the first write, for the same reason as <see cref="ReadContextPool"/>.
/// </summary>
internal sealed class WriteContextPool
{
    private readonly PooledDbContextFactory<DocStoreDbContext> _factory;

    public WriteContextPool(IStorageEngine engine, DbConnection writer, ILoggerFactory? loggers)
    {
        var options = new DbContextOptionsBuilder<DocStoreDbContext>().AddInterceptors(CommitHooks.Instance);
        engine.UseEngine(options, writer);
        if (loggers is not null)
        {
            options.UseLoggerFactory(loggers);
        }

        _factory = new PooledDbContextFactory<DocStoreDbContext>(options.Options);
    }

    /// <summary>A context from the pool, with EF Core's automatic savepoints and change detection off; disposing it returns it.</summary>
    public DocStoreDbContext Create()
    {
        var db = _factory.CreateDbContext();
        db.Database.AutoSavepointsEnabled = false;
        // The write path sets each entity's state itself and detects changes on the one entity it modifies.
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        return db;
    }
}
