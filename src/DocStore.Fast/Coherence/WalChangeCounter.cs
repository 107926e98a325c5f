using System.IO.MemoryMappedFiles;
using System.Runtime.InteropServices;
using DocStore.Internal;
using Microsoft.Data.Sqlite;

namespace DocStore.Fast.Coherence;

/// <summary>
/// Tells, in about a nanosecond, whether anyone committed to the database file since a given moment: it
/// reads the change counter that SQLite keeps in the WAL index (the <c>-shm</c> file), mapped read-only
/// into this process. Every connection of every process bumps that counter on each commit and each WAL
/// restart, so a cache can check it before every read. Where the file cannot be mapped, a background
/// task polls <c>PRAGMA data_version</c> every <see cref="PollInterval"/> instead, and readers can then
/// be that much late.
/// </summary>
/// <remarks>
/// The WAL-index header (SQLite's wal.c, <c>WalIndexHdr</c>) holds <c>iChange</c>, a u32 in native byte
/// order at offset 8 of the first copy of the header, at the start of the <c>-shm</c> file.
/// </remarks>
internal sealed unsafe class WalChangeCounter : IDisposable
{
    /// <summary>How often the fallback polls, which bounds how late a read can be when the WAL index cannot be mapped.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);

    private const int ChangeOffset = 8;
    private const int HeaderBytes = 48;

    private readonly MemoryMappedFile? _file;
    private readonly MemoryMappedViewAccessor? _view;
    private readonly uint* _counter;
    private readonly uint* _polled;
    private readonly SqliteConnection? _pollConnection;
    private readonly Timer? _poll;
    private long _dataVersion;
    private int _disposed;

    /// <param name="databasePath">The database file; its <c>-shm</c> file must exist (a WAL connection is open).</param>
    /// <param name="pollConnectionString">A read connection string, used only by the fallback.</param>
    /// <param name="configure">Keys the fallback's connection when the store is encrypted.</param>
    public WalChangeCounter(string databasePath, string pollConnectionString, Action<SqliteConnection>? configure)
    {
        try
        {
            var shm = new FileStream(databasePath + "-shm", FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            _file = MemoryMappedFile.CreateFromFile(shm, null, 0, MemoryMappedFileAccess.Read, HandleInheritability.None, leaveOpen: false);
            _view = _file.CreateViewAccessor(0, HeaderBytes, MemoryMappedFileAccess.Read);
            byte* pointer = null;
            _view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
            _counter = (uint*)(pointer + _view.PointerOffset + ChangeOffset);
            Mapped = true;
            return;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            _view?.Dispose();
            _file?.Dispose();
            _view = null;
            _file = null;
        }

        _polled = (uint*)NativeMemory.AllocZeroed(sizeof(uint));
        _counter = _polled;
        _pollConnection = new SqliteConnection(pollConnectionString);
        _pollConnection.Open();
        configure?.Invoke(_pollConnection);
        _dataVersion = Db.Scalar<long>(_pollConnection, "PRAGMA data_version");
        _poll = new Timer(_ => Poll(), null, PollInterval, PollInterval);
    }

    /// <summary>Whether the WAL index is mapped (false: the polling fallback is in use).</summary>
    public bool Mapped { get; }

    /// <summary>The counter now. Only equality means anything: any difference means a commit happened.</summary>
    public uint Current => Volatile.Read(ref *_counter);

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        if (_view is not null)
        {
            _view.SafeMemoryMappedViewHandle.ReleasePointer();
            _view.Dispose();
            _file!.Dispose();
        }

        if (_poll is not null)
        {
            using var done = new ManualResetEvent(false);
            _poll.Dispose(done);
            done.WaitOne();
            _pollConnection!.Dispose();
            NativeMemory.Free(_polled);
        }
    }

    private void Poll()
    {
        if (Volatile.Read(ref _disposed) != 0)
        {
            return;
        }

        try
        {
            var version = Db.Scalar<long>(_pollConnection!, "PRAGMA data_version");
            if (version != _dataVersion)
            {
                _dataVersion = version;
                Interlocked.Increment(ref *_polled);
            }
        }
        catch (SqliteException)
        {
            // Busy or closing: the next poll tries again.
        }
    }
}
