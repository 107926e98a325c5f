namespace DocStore;

/// <summary>The database engine a store runs on (<see cref="DocStoreOptions.Engine"/>).</summary>
public enum DocStoreEngine
{
    /// <summary>One SQLite file, embedded in the process (the default).</summary>
    Sqlite = 0,

    /// <summary>A PostgreSQL database, which several instances of an application can share. Needs the DocStore.PostgreSql package.</summary>
    PostgreSql = 1,
}
