namespace DocStore.Engine;

/// <summary>Picks the engine a store's options ask for.</summary>
internal static class StorageEngines
{
    /// <summary>The PostgreSQL engine's type, in its own package so that an embedded store does not carry Npgsql.</summary>
    private const string PostgreSqlEngineType = "DocStore.PostgreSql.PostgreSqlEngine, DocStore.PostgreSql";

    public static IStorageEngine Open(DocStoreOptions options) => options.Engine == DocStoreEngine.PostgreSql
        ? CreateFromPackage<IStorageEngine>(PostgreSqlEngineType, options)
        : new Sqlite.SqliteEngine(options);

    /// <summary>
    /// Creates the PostgreSQL package's <paramref name="typeName"/> with <paramref name="arguments"/>, found by name: the
    /// assemblies that need it cannot reference the package that references them. Its constructor's exception is thrown as is.
    /// </summary>
    public static T CreateFromPackage<T>(string typeName, params object[] arguments)
    {
        var type = Type.GetType(typeName, throwOnError: false)
            ?? throw new InvalidOperationException("The PostgreSql engine needs the DocStore.PostgreSql package: add a reference to it.");
        try
        {
            return (T)Activator.CreateInstance(type, arguments)!;
        }
        catch (System.Reflection.TargetInvocationException e) when (e.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(e.InnerException);
            throw;
        }
    }
}
