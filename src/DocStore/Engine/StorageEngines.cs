namespace DocStore.Engine;

/// <summary>Picks the engine a store's options ask for (today the embedded SQLite engine alone).</summary>
internal static class StorageEngines
{
    public static IStorageEngine Open(DocStoreOptions options) => new Sqlite.SqliteEngine(options);
}
