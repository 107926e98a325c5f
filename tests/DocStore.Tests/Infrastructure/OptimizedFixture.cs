using DocStore.Fast;

namespace DocStore.Tests.Infrastructure;

/// <summary>An <see cref="OptimizedStorageSystem"/> on a real file in a temporary folder.</summary>
public sealed class OptimizedFixture : IAsyncDisposable
{
    private readonly TempDirectory _directory = new();

    public OptimizedFixture(Func<string, OptimizedStorageOptions>? options = null)
    {
        Path = _directory.File("fast.db");
        Options = options?.Invoke(Path) ?? new OptimizedStorageOptions { DatabasePath = Path, ActorProvider = () => "tester" };
        Store = new OptimizedStorageSystem(Options);
    }

    public string Path { get; }

    public OptimizedStorageOptions Options { get; }

    public OptimizedStorageSystem Store { get; }

    /// <summary>The EF Core path over the same file: the reference every fast answer is compared with.</summary>
    public LocalStorageSystem Ef => Store.Inner;

    public string IntegrityCheck() => SqliteProbe.IntegrityCheck(Path);

    public async ValueTask DisposeAsync()
    {
        await Store.DisposeAsync();
        _directory.Dispose();
    }
}
