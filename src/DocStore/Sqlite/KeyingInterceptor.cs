using System.Data.Common;
using DocStore.Internal;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace DocStore.Sqlite;

/// <summary>Keys every connection EF Core opens for reads, before EF runs anything on it (encrypted stores only).</summary>
internal sealed class KeyingInterceptor : DbConnectionInterceptor
{
    private readonly StoreConnections _connections;

    public KeyingInterceptor(StoreConnections connections) => _connections = connections;

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) =>
        _connections.Configure((SqliteConnection)connection);

    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        _connections.Configure((SqliteConnection)connection);
        return Task.CompletedTask;
    }
}
