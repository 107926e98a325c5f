using DocStore.Engine;
using DocStore.Fast;
using DocStore.Fast.Caching;
using DocStore.Fast.Coherence;
using DocStore.Fast.Sql;
using DocStore.Sql;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace DocStore.PostgreSql;

/// <summary>The fast path on PostgreSQL: explicitly prepared readers from the store's data source, and the change feed for coherence. Found by name by <see cref="FastEngine.Open"/>.</summary>
internal sealed class PostgreSqlFastEngine(IStorageEngine engine, OptimizedStorageOptions options) : FastEngine
{
    private readonly PostgreSqlEngine _engine = (PostgreSqlEngine)engine;

    public override IFastReader OpenReader() => new PostgreSqlFastReader(_engine.DataSource);

    public override ICacheCoherence StartCoherence(ReadConnectionPool pool, DocumentCache? cache, ResultCache results) =>
        new PostgreSqlCoherence(_engine, cache, results, options.PostgreSql, options.LoggerFactory?.CreateLogger<PostgreSqlCoherence>() ?? (ILogger)NullLogger.Instance);

    public override QueryText BuildList(ListQuery query) => PostgreSqlList.Build(query);
}
