using DocStore.Engine;
using DocStore.Fast.Caching;
using DocStore.Fast.Coherence;
using DocStore.Fast.Sql;
using DocStore.Sql;

namespace DocStore.Fast.Sqlite;

/// <summary>The fast path on SQLite: query-only connections with prepared commands, and the WAL index's change counter for coherence.</summary>
internal sealed class SqliteFastEngine(IStorageEngine engine, OptimizedStorageOptions options, string databasePath) : FastEngine
{
    private readonly ReadConnectionSettings _settings = ReadConnectionSettings.For(engine, options);

    public override IFastReader OpenReader() => new PooledReader(_settings);

    public override ICacheCoherence StartCoherence(ReadConnectionPool pool, DocumentCache? cache, ResultCache results) =>
        new InstanceCoherence(engine, new WalChangeCounter(databasePath, _settings.ConnectionString, _settings.Configure), pool, cache, results);

    public override QueryText BuildList(ListQuery query) => QuerySql.List(query);
}
