using System.Data.Common;
using DocStore.Data;
using DocStore.Engine;
using DocStore.Internal;
using DocStore.Validation;
using DocStore.Writes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace DocStore;

/// <summary>
/// The complete store done the plain way: the safe write path, and reads through EF Core. It is the write
/// path of <c>OptimizedStorageSystem</c>, its fallback when the fast path is off, and the baseline benchmarks
/// compare against.
/// </summary>
/// <remarks>
/// Every write goes through one pipeline (<see cref="WritePipeline"/>) as a unit of work on a pooled EF Core
/// context: validation first, then the document entity, its tag rows, the replaced version's snapshot and the
/// audit rows through the change tracker and <c>SaveChanges</c>, inside an EF Core transaction on the single
/// writer connection (several queued writes share one, each in its own savepoint). Only the full-text index rows
/// are raw SQL (the engine's <see cref="IFullTextIndexWriter"/>), on the same connection and transaction. EF Core also serves the
/// plain reads, a pooled context per call; search runs raw FTS5 SQL on that context's connection.
/// </remarks>
public sealed partial class LocalStorageSystem : IDocumentStore
{
    private readonly IStorageEngine _engine;
    private readonly WritePipeline _pipeline;
    private readonly IIndexMaintenance _merger;
    // Built on the first read that needs EF Core (a list, statistics, a get off the fast path); see ReadContextPool.
    private ReadContextPool? _readContexts;
    private readonly DocumentValidator _validator;
    private readonly ILogger _logger;
    private readonly ReadGate _readGate = new();
    private readonly List<(Func<Task> Suspend, Action Resume)> _quiesceHooks = [];
    private readonly System.Collections.Concurrent.ConcurrentBag<Sqlite.SnippetWorkspace> _workspaces = [];
    private int _disposed;

    /// <summary>Opens (creating if needed) the store at <see cref="DocStoreOptions.DatabasePath"/>, upgrading an older file's schema.</summary>
    /// <param name="options">The store's settings.</param>
    /// <exception cref="ArgumentException">An option is out of range (the message names it).</exception>
    /// <exception cref="SchemaVersionException">The file is from a newer DocStore or another application.</exception>
    /// <exception cref="StoreCorruptedException">The file is damaged (its schema is incomplete, or SQLite finds it malformed).</exception>
    /// <exception cref="StorageException">The file cannot be opened or is not a SQLite database.</exception>
    public LocalStorageSystem(DocStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        _engine = StorageEngines.Open(options);
        _validator = new DocumentValidator(options);
        _logger = options.LoggerFactory?.CreateLogger<LocalStorageSystem>() ?? (ILogger)NullLogger.Instance;
        var defaultActor = Environment.UserName;
        var actor = options.ActorProvider ?? (() => defaultActor);

        var writer = _engine.OpenWriter(_logger);
        _pipeline = new WritePipeline(_engine, writer, actor, options.LoggerFactory, _logger, RaiseChanged);
        _merger = _engine.StartIndexMaintenance(_pipeline, _logger);
        _pipeline.IndexChanged = _merger.IndexChanged;
        if (_logger.IsEnabled(LogLevel.Information))
        {
            // Guarded: formatting a message nobody reads costs milliseconds of JIT at open.
            _logger.LogInformation("Opened the store {Path}.", _engine.Location);
        }
    }

    /// <inheritdoc />
    public event EventHandler<DocumentChangedEventArgs>? DocumentChanged;

    /// <summary>The settings the store was opened with.</summary>
    public DocStoreOptions Options { get; }

    /// <summary>Where the store lives: the database file's absolute path, or <c>postgresql://host:port/database</c> on the PostgreSql engine.</summary>
    public string DatabasePath => _engine.Location;

    /// <summary>The engine under this store (the fast path opens its readers through it).</summary>
    internal IStorageEngine Engine => _engine;

    /// <summary>Transactions the write pipeline committed for groups of writes, and the writes in them.</summary>
    internal (long Groups, long Writes) WriteGroups => (_pipeline.Groups, _pipeline.GroupedWrites);

    /// <summary>The write pipeline (tests inject failures into its steps).</summary>
    internal WritePipeline Pipeline => _pipeline;

    /// <summary>Merges the full-text index now, as the background merger does (tests and benchmarks).</summary>
    internal Task<int> MergeFullTextIndexAsync(CancellationToken cancellationToken = default) => _merger.RunAsync(cancellationToken);

    /// <summary>Merge steps that did work so far, in the background or asked for.</summary>
    internal long FullTextMergeSteps => _merger.Steps;

    /// <summary>Test hook: keeps the writer busy until <paramref name="release"/> completes, so writes queue up and commit as one group.</summary>
    internal Task HoldWriterAsync(Task release) => _pipeline.ExclusiveAsync(
        "Holding the writer",
        async _ =>
        {
            await release.ConfigureAwait(false);
            return true;
        },
        CancellationToken.None);

    /// <summary>Test hook: runs <paramref name="body"/> as one write (a unit of work of its own, in a group like any other).</summary>
    internal Task<T> WriteForTestsAsync<T>(Func<UnitOfWork, T> body) =>
        _pipeline.RunAsync(AuditOperation.Update, null, (work, _) => body(work), CancellationToken.None);

    /// <summary>The writer connection, for tests that check its settings.</summary>
    internal DbConnection WriterConnectionForTests => _pipeline.Connection;

    /// <summary>Lets the fast path see each write's changes around its COMMIT.</summary>
    internal IWriteObserver? WriteObserver
    {
        get => _pipeline.Observer;
        set => _pipeline.Observer = value;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        // The merger stops first (it writes through the pipeline); the pipeline then lets queued writes finish.
        _merger.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _pipeline.Dispose();
        _engine.Dispose();
        while (_workspaces.TryTake(out var workspace))
        {
            workspace.Dispose();
        }

        _engine.ReleaseReadConnections();
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>Lets the fast path close its connections around a key rotation (and reopen them after).</summary>
    internal void AddQuiesceHook(Func<Task> suspend, Action resume) => _quiesceHooks.Add((suspend, resume));

    private ReadContextPool ReadContexts()
    {
        if (Volatile.Read(ref _readContexts) is { } pool)
        {
            return pool;
        }

        Interlocked.CompareExchange(ref _readContexts, new ReadContextPool(_engine, Options.LoggerFactory), null);
        return _readContexts;
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);

    private void RaiseChanged(IReadOnlyList<DocumentChange> changes) =>
        ChangeNotifier.Raise(DocumentChanged, this, new DocumentChangedEventArgs(changes), _logger);
}
