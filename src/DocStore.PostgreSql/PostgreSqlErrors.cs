using Npgsql;

namespace DocStore.PostgreSql;

/// <summary>The translation of PostgreSQL's errors (by SQLSTATE) and Npgsql's connection failures into DocStore's typed exceptions.</summary>
internal static class PostgreSqlErrors
{
    /// <summary>The Npgsql error behind <paramref name="error"/> (itself, or one EF Core or Npgsql wrapped); null if there is none.</summary>
    public static NpgsqlException? Unwrap(Exception error)
    {
        for (var e = error; e is not null; e = e.InnerException)
        {
            if (e is NpgsqlException npgsql)
            {
                return npgsql;
            }
        }

        return null;
    }

    /// <summary>Whether <paramref name="error"/> is a connection the server closed or lost: it stopped, crashed or restarted.</summary>
    public static bool IsConnectionLost(Exception error) => Unwrap(error) switch
    {
        PostgresException p => p.SqlState is PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown,
        { InnerException: IOException or System.Net.Sockets.SocketException } => true,
        _ => false,
    };

    /// <summary>The exception to throw for <paramref name="e"/>, raised while <paramref name="operation"/> ran; a cancellation asked for by <paramref name="cancellationToken"/> becomes an <see cref="OperationCanceledException"/>.</summary>
    public static Exception Translate(NpgsqlException e, string operation, CancellationToken cancellationToken = default)
    {
        if (cancellationToken.IsCancellationRequested
            && (e is PostgresException { SqlState: PostgresErrorCodes.QueryCanceled } || e.InnerException is OperationCanceledException))
        {
            return new OperationCanceledException($"{operation} was cancelled; nothing was changed by it.", e, cancellationToken);
        }

        var kind = KindOf(e);
        var reason = e is PostgresException p ? p.MessageText : e.Message;
        return kind switch
        {
            StorageErrorKind.Corrupt => new StoreCorruptedException($"The database reports damaged data ({reason}). Restore it from a backup.", kind, e),
            StorageErrorKind.DiskFull => new StorageException($"{operation} failed: the server's disk is full ({reason}); nothing was written.", kind, e),
            StorageErrorKind.Busy => new StorageException($"{operation} failed: it waited too long for a lock or lost a deadlock ({reason}); nothing was written.", kind, e),
            StorageErrorKind.ReadOnly => new StorageException($"{operation} failed: the database is read-only ({reason}).", kind, e),
            StorageErrorKind.CannotOpen => new StorageException($"{operation} failed: the PostgreSQL server cannot be reached or refused the connection ({reason}). Check the connection string and that the server runs.", kind, e),
            StorageErrorKind.IOError => new StorageException($"{operation} failed with an I/O error on the server ({reason}).", kind, e),
            _ => new StorageException($"{operation} failed: {reason}", kind, e),
        };
    }

    /// <summary>The provider-neutral kind of an error, from its SQLSTATE class; a failure without one is the connection's.</summary>
    public static StorageErrorKind KindOf(NpgsqlException e)
    {
        if (e is not PostgresException p)
        {
            return StorageErrorKind.CannotOpen;
        }

        return p.SqlState switch
        {
            PostgresErrorCodes.DiskFull => StorageErrorKind.DiskFull,
            PostgresErrorCodes.LockNotAvailable or PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure => StorageErrorKind.Busy,
            PostgresErrorCodes.ReadOnlySqlTransaction => StorageErrorKind.ReadOnly,
            PostgresErrorCodes.DataCorrupted or PostgresErrorCodes.IndexCorrupted => StorageErrorKind.Corrupt,
            PostgresErrorCodes.IoError => StorageErrorKind.IOError,
            PostgresErrorCodes.InvalidCatalogName or PostgresErrorCodes.InvalidPassword or PostgresErrorCodes.InvalidAuthorizationSpecification
                or PostgresErrorCodes.TooManyConnections or PostgresErrorCodes.CannotConnectNow or PostgresErrorCodes.AdminShutdown => StorageErrorKind.CannotOpen,
            _ when p.SqlState.StartsWith("08", StringComparison.Ordinal) => StorageErrorKind.CannotOpen,
            _ => StorageErrorKind.Other,
        };
    }
}
