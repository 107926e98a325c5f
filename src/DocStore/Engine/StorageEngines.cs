namespace DocStore.Engine;

/// <summary>Picks the engine a store's options ask for.</summary>
internal static class StorageEngines
{
    /// <summary>The PostgreSQL engine's type, in its own package so that an embedded store does not carry Npgsql.</summary>
    private const string PostgreSqlEngineType = "DocStore.PostgreSql.PostgreSqlEngine, DocStore.PostgreSql";

    public static IStorageEngine Open(DocStoreOptions options)
    {
        if (options.Engine != DocStoreEngine.PostgreSql)
        {
            return new Sqlite.SqliteEngine(options);
        }

        // Found by name: this assembly cannot reference the package that references it.
        var type = Type.GetType(PostgreSqlEngineType, throwOnError: false)
            ?? throw new InvalidOperationException("The PostgreSql engine needs the DocStore.PostgreSql package: add a reference to it.");
        try
        {
            return (IStorageEngine)Activator.CreateInstance(type, options)!;
        }
        catch (System.Reflection.TargetInvocationException e) when (e.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(e.InnerException);
            throw;
        }
    }
}
