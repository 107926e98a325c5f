using DocStore.Tests.Infrastructure;

namespace DocStore.Tests;

/// <summary>ImportAsync: a stream of any length, one batch in memory and one transaction per batch.</summary>
public sealed class StreamingImportTest
{
    private static async IAsyncEnumerable<NewDocument> Generate(int count, Func<int, NewDocument>? make = null)
    {
        for (var i = 0; i < count; i++)
        {
            await Task.Yield();
            yield return make?.Invoke(i) ?? Docs.New(title: "stream " + i, content: "streamed body " + i);
        }
    }

    [Fact]
    public async Task A_stream_imports_in_batches_with_progress_after_each()
    {
        await using var f = new StoreFixture();
        var reports = new List<ImportProgress>();
        var result = await f.Store.ImportAsync(Generate(2_500), new ImportOptions { BatchSize = 1_000, Progress = new SynchronousProgress(reports) });
        Assert.Equal(2_500, result.Created);
        Assert.Equal([1_000L, 2_000, 2_500], reports.Select(r => r.Created));
        Assert.Equal(2_500, f.Count("documents"));
        Assert.Equal(3, f.Store.WriteGroups.Groups);
        Assert.True((await f.Store.VerifyAsync()).IsHealthy);
    }

    [Fact]
    public async Task Invalid_documents_are_skipped_and_reported_when_asked_or_stop_the_import_after_committed_batches()
    {
        await using var f = new StoreFixture();
        NewDocument Make(int i) => i % 10 == 7 ? Docs.New(title: "") : Docs.New(title: "ok " + i);
        var result = await f.Store.ImportAsync(Generate(50, Make), new ImportOptions { BatchSize = 20, SkipInvalid = true });
        Assert.Equal(45, result.Created);
        Assert.Equal(5, result.Rejected);
        Assert.Equal([7L, 17, 27, 37, 47], result.Rejections.Select(r => r.Index));
        Assert.Equal("Title", result.Rejections[0].Errors[0].Field);
        Assert.Equal(5, f.Count("audit_log", "outcome = 'Rejected'"));

        await using var g = new StoreFixture();
        var e = await Assert.ThrowsAsync<DocumentValidationException>(() => g.Store.ImportAsync(Generate(50, Make), new ImportOptions { BatchSize = 5 }));
        Assert.Equal("[7].Title", e.Errors[0].Field);
        Assert.Equal(7, g.Count("documents"));
    }

    [Fact]
    public async Task Running_an_import_again_with_skip_existing_creates_no_duplicates()
    {
        await using var f = new StoreFixture();
        NewDocument Make(int i) => i % 2 == 0
            ? new NewDocument { Title = "file " + i, Type = "note", Content = "file body " + i, SourcePath = $"docs/{i}.md" }
            : Docs.New(title: "line " + i, content: "no path " + i);
        var options = new ImportOptions { BatchSize = 7, SkipExisting = true };
        Assert.Equal(30, (await f.Store.ImportAsync(Generate(30, Make), options)).Created);
        var again = await f.Store.ImportAsync(Generate(30, Make), options);
        Assert.Equal((0L, 30L), (again.Created, again.Skipped));

        // A duplicate inside one stream is found too (the lookup sees the rows this import just wrote).
        var twice = await f.Store.ImportAsync(Generate(4, i => Docs.New(title: "twice", content: "same words")), options);
        Assert.Equal((1L, 3L), (twice.Created, twice.Skipped));
        Assert.Equal(31, f.Count("documents"));
    }

    /// <summary>Reports on the calling thread (Progress&lt;T&gt; posts to the thread pool, after the call may have returned).</summary>
    private sealed class SynchronousProgress(List<ImportProgress> reports) : IProgress<ImportProgress>
    {
        public void Report(ImportProgress value) => reports.Add(value);
    }
}
