using Microsoft.Data.Sqlite;

namespace DocStore.Sqlite;

/// <summary>
/// Honours cancellation inside a running statement: when the token fires, <c>sqlite3_interrupt</c> stops
/// whatever the connection is executing (a long search, a VACUUM), which then fails with SQLITE_INTERRUPT.
/// Microsoft.Data.Sqlite only checks tokens between statements. The registration must be disposed before
/// the connection is used for anything else (disposing waits for a callback in flight), and an interrupt
/// that arrives when no statement runs does nothing to later ones.
/// </summary>
internal static class Interrupt
{
    public static CancellationTokenRegistration OnCancel(SqliteConnection connection, CancellationToken cancellationToken) =>
        cancellationToken.CanBeCanceled
            ? cancellationToken.UnsafeRegister(static state =>
            {
                try
                {
                    if (((SqliteConnection)state!).Handle is { } handle)
                    {
                        SQLitePCL.raw.sqlite3_interrupt(handle);
                    }
                }
                catch (ObjectDisposedException)
                {
                    // Closed between the check and the call: nothing runs to interrupt. Thrown, it would reach whoever
                    // cancelled (with CancelAfter, a timer thread, which it would end).
                }
            }, connection)
            : default;
}
