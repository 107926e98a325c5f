using DocStore.Engine;
using DocStore.Fast.Caching;
using DocStore.Fast.Coherence;
using DocStore.Fast.Sql;
using DocStore.Sql;

namespace DocStore.Fast;

/// <summary>
/// What the fast path needs from an engine: its pooled readers, the coherence of its caches with other instances,
/// and its listing SQL. SQLite's is <c>Sqlite/SqliteFastEngine</c>; PostgreSQL's lives in its own package and is
/// found by name, as its storage engine is.
/// </summary>
internal abstract class FastEngine
{
    private const string PostgreSqlFastEngineType = "DocStore.PostgreSql.PostgreSqlFastEngine, DocStore.PostgreSql";

    /// <summary>Opens one more reader for the pool.</summary>
    public abstract IFastReader OpenReader();

    /// <summary>Starts keeping <paramref name="cache"/> and <paramref name="results"/> coherent with every instance's commits.</summary>
    public abstract ICacheCoherence StartCoherence(ReadConnectionPool pool, DocumentCache? cache, ResultCache results);

    /// <summary>A listing's SQL in the engine's dialect (document columns first, as <see cref="DocumentColumns.Read"/> expects).</summary>
    public abstract QueryText BuildList(ListQuery query);

    /// <summary>The fast engine of <paramref name="engine"/>, the store's storage engine.</summary>
    public static FastEngine Open(IStorageEngine engine, OptimizedStorageOptions options, string databasePath)
    {
        if (options.Engine == DocStoreEngine.Sqlite)
        {
            return new Sqlite.SqliteFastEngine(engine, options, databasePath);
        }

        return StorageEngines.CreateFromPackage<FastEngine>(PostgreSqlFastEngineType, engine, options);
    }
}
