using Microsoft.Data.Sqlite;
using static SQLitePCL.raw;

namespace DocStore.Sqlite;

/// <summary>
/// The one translation of SQLite errors into DocStore's typed exceptions, used by every public call
/// of both read paths and the write path, so a damaged file or a full disk reads the same everywhere.
/// </summary>
internal static class SqliteErrors
{
    private const string RestoreAdvice = "Run VerifyAsync to see what is damaged, and restore the file from a backup.";

    /// <summary>
    /// The exception to throw for <paramref name="e"/>, raised while <paramref name="operation"/> ran
    /// (e.g. "Reading", "The write"). An interrupt asked for by <paramref name="cancellationToken"/> becomes
    /// an <see cref="OperationCanceledException"/>.
    /// </summary>
    public static Exception Translate(SqliteException e, string operation, CancellationToken cancellationToken = default)
    {
        var kind = KindOf(e);
        var reason = Reason(e);
        return kind switch
        {
            _ when e.SqliteErrorCode == SQLITE_INTERRUPT && cancellationToken.IsCancellationRequested =>
                new OperationCanceledException($"{operation} was cancelled; nothing was changed by it.", e, cancellationToken),
            StorageErrorKind.Corrupt or StorageErrorKind.NotADatabase =>
                new StoreCorruptedException($"The database file is damaged ({reason}). {RestoreAdvice}", kind, e),
            StorageErrorKind.DiskFull =>
                new StorageException($"{operation} failed: the disk is full ({reason}). Free some space; nothing was written.", kind, e),
            StorageErrorKind.Busy =>
                new StorageException($"{operation} failed: another connection held the database lock for longer than BusyTimeout ({reason}).", kind, e),
            StorageErrorKind.ReadOnly =>
                new StorageException($"{operation} failed: the database file is read-only ({reason}). Check its permissions and those of its folder.", kind, e),
            StorageErrorKind.CannotOpen =>
                new StorageException($"{operation} failed: the database file cannot be opened ({reason}). Check that its folder exists and is writable.", kind, e),
            StorageErrorKind.IOError =>
                new StorageException($"{operation} failed with an I/O error ({reason}); the write, if any, was rolled back.", kind, e),
            _ => new StorageException($"{operation} failed: {reason}", kind, e),
        };
    }

    /// <summary>
    /// A search's error: in advanced mode SQLITE_ERROR means FTS5 rejected the user's MATCH text (syntax, an
    /// unknown column), so it becomes <see cref="InvalidSearchQueryException"/>. Simple mode quotes every
    /// term, so there it can only be the store's own fault. (A file missing its index is refused at open.)
    /// </summary>
    public static Exception TranslateSearch(SqliteException e, SearchQuery query, CancellationToken cancellationToken = default) =>
        e.SqliteErrorCode == SQLITE_ERROR && query.Mode == SearchMode.Advanced
            ? new InvalidSearchQueryException("The search query is not valid: " + Reason(e), e)
            : Translate(e, "The search", cancellationToken);

    /// <summary>The provider-neutral kind of a SQLite error, from its primary result code.</summary>
    public static StorageErrorKind KindOf(SqliteException e) => e.SqliteErrorCode switch
    {
        SQLITE_CORRUPT => StorageErrorKind.Corrupt,
        SQLITE_NOTADB => StorageErrorKind.NotADatabase,
        SQLITE_FULL => StorageErrorKind.DiskFull,
        SQLITE_BUSY or SQLITE_LOCKED => StorageErrorKind.Busy,
        SQLITE_READONLY => StorageErrorKind.ReadOnly,
        SQLITE_CANTOPEN => StorageErrorKind.CannotOpen,
        SQLITE_IOERR => StorageErrorKind.IOError,
        _ => StorageErrorKind.Other,
    };

    /// <summary>The SQLite error behind <paramref name="error"/> (itself, or the one EF Core wrapped); null if there is none.</summary>
    public static SqliteException? Unwrap(Exception error) => error switch
    {
        SqliteException s => s,
        Microsoft.EntityFrameworkCore.DbUpdateException { InnerException: SqliteException s } => s,
        _ => null,
    };

    /// <summary>SQLite's message without Microsoft.Data.Sqlite's "SQLite Error N: " prefix.</summary>
    public static string Reason(SqliteException e)
    {
        var message = e.Message;
        var colon = message.StartsWith("SQLite Error ", StringComparison.Ordinal) ? message.IndexOf(": ", StringComparison.Ordinal) : -1;
        return colon > 0 ? message[(colon + 2)..] : message;
    }
}
