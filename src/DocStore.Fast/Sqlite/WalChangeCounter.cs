using System.IO.MemoryMappedFiles;
using DocStore.Internal;
using Microsoft.Data.Sqlite;
using DocStore.Sqlite;

namespace DocStore.Fast.Sqlite;

/// <summary>
/// Tells whether anyone committed to the database file since a given moment: it reads the change counter
/// that SQLite keeps in the WAL index (the <c>-shm</c> file), mapped read-only into this process. Every
/// connection of every process bumps that counter on each commit and each WAL restart, so a cache can check
/// it before every read. Where the file cannot be mapped, a background task polls <c>PRAGMA data_version</c>
/// (SQLite's documented change signal) every <see cref="PollInterval"/> instead, and readers can then be that
/// much late.
/// </summary>
/// <remarks>
/// <para>The WAL-index header (SQLite's wal.c, <c>WalIndexHdr</c>) holds <c>iChange</c>, a u32 in native byte
/// order at offset 8 of the first copy of the header, at the start of the <c>-shm</c> file. SQLite documents
/// that layout as the default VFS's, not as an interface: docs/ARCHITECTURE.md says what a change would do.</para>
/// <para>The counter is read through <see cref="MemoryMappedViewAccessor"/>, a <see cref="System.Runtime.InteropServices.SafeBuffer"/>
/// that counts references to its mapping for the length of each read: disposing this object while a read is in
/// flight unmaps only after that read, and a read that starts later throws <see cref="ObjectDisposedException"/>
/// (a raw pointer here once read an unmapped page and ended the process). Each reading thread maps a view of its
/// own, so that the reference count each read takes and drops is on a line no other core writes (one view shared
/// by two threads made a cached hit on two threads about twice as slow).</para>
/// </remarks>
internal sealed class WalChangeCounter : IDisposable
{
    /// <summary>How often the fallback polls, which bounds how late a read can be when the WAL index cannot be mapped.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);

    private const int ChangeOffset = 8;
    private const int HeaderBytes = 48;

    // The reading thread's view, found as AccessCounter finds its table: two [ThreadStatic] fields for the
    // store it last read, and a map for a thread that reads from several stores.
    [ThreadStatic]
    private static WalChangeCounter? t_owner;

    [ThreadStatic]
    private static MemoryMappedViewAccessor? t_view;

    [ThreadStatic]
    private static Dictionary<WalChangeCounter, MemoryMappedViewAccessor>? t_others;

    private readonly MemoryMappedFile? _file;
    private readonly List<(Thread Thread, MemoryMappedViewAccessor View)> _views = [];
    private readonly Lock _viewsLock = new();
    private readonly SqliteConnection? _pollConnection;
    private readonly Timer? _poll;
    private uint _polled;
    private long _dataVersion;
    private int _polling;
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
            _file.CreateViewAccessor(0, HeaderBytes, MemoryMappedFileAccess.Read).Dispose();
            Mapped = true;
            return;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            _file?.Dispose();
            _file = null;
        }

        _pollConnection = new SqliteConnection(pollConnectionString);
        _pollConnection.Open();
        configure?.Invoke(_pollConnection);
        _dataVersion = Db.Scalar<long>(_pollConnection, "PRAGMA data_version");
        _poll = new Timer(_ => Poll(), null, PollInterval, PollInterval);
    }

    /// <summary>Whether the WAL index is mapped (false: the polling fallback is in use).</summary>
    public bool Mapped { get; }

    /// <summary>The counter now. Only equality means anything: any difference means a commit happened.</summary>
    /// <exception cref="ObjectDisposedException">The store is closing.</exception>
    public uint Current =>
        t_owner == this ? t_view!.ReadUInt32(ChangeOffset)
        : Mapped ? ViewOfThisThread().ReadUInt32(ChangeOffset)
        : Volatile.Read(ref _polled);

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        // A read in flight keeps its view mapped until it ends (SafeBuffer's reference count); later reads throw.
        lock (_viewsLock)
        {
            foreach (var (_, view) in _views)
            {
                view.Dispose();
            }

            _views.Clear();
        }

        _file?.Dispose();
        if (_poll is not null)
        {
            using var done = new ManualResetEvent(false);
            _poll.Dispose(done);
            done.WaitOne();
            _pollConnection!.Dispose();
        }
    }

    /// <summary>The slow path: this thread's first read of this counter, or a read after one of another store's.</summary>
    private MemoryMappedViewAccessor ViewOfThisThread()
    {
        if (t_owner is { } previous && t_view is { } previousView)
        {
            (t_others ??= new(ReferenceEqualityComparer.Instance))[previous] = previousView;
        }

        if (t_others is null || !t_others.Remove(this, out var view))
        {
            lock (_viewsLock)
            {
                ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);

                // Views of threads that ended are unmapped here, so a pool that replaces its threads does not pile them up.
                for (var i = _views.Count - 1; i >= 0; i--)
                {
                    if (!_views[i].Thread.IsAlive)
                    {
                        _views[i].View.Dispose();
                        _views.RemoveAt(i);
                    }
                }

                view = _file!.CreateViewAccessor(0, HeaderBytes, MemoryMappedFileAccess.Read);
                _views.Add((Thread.CurrentThread, view));
            }

            // A map of several stores forgets the ones since disposed.
            if (t_others is { Count: > 0 } others)
            {
                foreach (var stale in others.Keys.Where(k => Volatile.Read(ref k._disposed) != 0).ToList())
                {
                    others.Remove(stale);
                }
            }
        }

        t_owner = this;
        t_view = view;
        return view;
    }

    /// <summary>One poll of the fallback (the timer's callback; tests call it directly).</summary>
    internal void Poll()
    {
        // Timer callbacks overlap when the thread pool runs late, and the connection serves one caller at a time.
        if (Volatile.Read(ref _disposed) != 0 || Interlocked.Exchange(ref _polling, 1) != 0)
        {
            return;
        }

        try
        {
            var version = Db.Scalar<long>(_pollConnection!, "PRAGMA data_version");
            if (version != _dataVersion)
            {
                _dataVersion = version;
                Interlocked.Increment(ref _polled);
            }
        }
#pragma warning disable CA1031 // An exception would end the process from a timer callback; the next poll tries again.
        catch (Exception)
#pragma warning restore CA1031
        {
            // Busy or closing: the next poll tries again.
        }
        finally
        {
            Volatile.Write(ref _polling, 0);
        }
    }
}
