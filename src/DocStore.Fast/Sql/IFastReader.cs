using System.Data.Common;
using DocStore.Sql;
using DocStore.Sqlite;

namespace DocStore.Fast.Sql;

/// <summary>
/// One pooled reader of the fast path: an open connection that keeps its prepared commands for every read shape.
/// Each engine has its own (SQLite's <c>Sqlite/PooledReader</c>, PostgreSQL's in its package). Used by one
/// thread at a time (the pool sees to that).
/// </summary>
internal interface IFastReader : IQueryExecutor, IDisposable
{
    /// <summary>The connection, for cancelling a statement it runs.</summary>
    DbConnection Connection { get; }

    /// <summary>
    /// False once a read left the connection in a state the next caller must not inherit (a transaction that a late
    /// cancel kept open): the pool then closes the reader instead of parking it.
    /// </summary>
    bool Reusable { get; }

    /// <summary>This reader's own snippet workspace, opened on first search.</summary>
    SnippetWorkspace Workspace { get; }

    /// <summary>
    /// The engine's change number as of the snapshot of this reader's last read, for an engine whose instances
    /// learn of each other's commits by number (<see cref="Coherence.ICacheCoherence.SeenAsync"/>); 0 elsewhere.
    /// </summary>
    long LastHead { get; }

    /// <summary>The live document with this id, or null.</summary>
    Document? GetById(long id);

    /// <summary>The live document whose UUID is stored as <paramref name="uuid"/>, or null.</summary>
    Document? GetByUuid(byte[] uuid);

    /// <summary>Reads the live documents among <paramref name="ids"/> into <paramref name="sink"/>.</summary>
    void GetMany(IReadOnlyList<long> ids, Dictionary<long, Document> sink);

    /// <summary>The ids of the <paramref name="count"/> most-read live documents, most read first.</summary>
    List<long> MostAccessed(int count);

    /// <summary>Runs <paramref name="read"/> in one read transaction, so all its statements see one snapshot.</summary>
    T InSnapshot<T>(Func<IFastReader, T> read);
}
