namespace DocStore.Notes.Tests;

/// <summary>A test class's own Notes app, in-process on its own database file, and a client for it.</summary>
public abstract class NotesAppTest : IAsyncLifetime
{
    private readonly NotesAppFactory _app = new();

    /// <summary>The app.</summary>
    protected NotesAppFactory App => _app;

    /// <summary>A client of the app.</summary>
    protected HttpClient Http { get; private set; } = null!;

    public ValueTask InitializeAsync()
    {
        Http = _app.CreateClient();
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}
