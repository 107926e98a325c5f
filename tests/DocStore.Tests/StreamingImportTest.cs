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
    public async Task Running_an_import_again_with_match_existing_creates_no_duplicates()
    {
        await using var f = new StoreFixture();
        NewDocument Make(int i) => i % 2 == 0
            ? new NewDocument { Title = "file " + i, Type = "note", Content = "file body " + i, SourcePath = $"/docs/{i}.md" }
            : Docs.New(title: "line " + i, content: "no path " + i);
        var options = new ImportOptions { BatchSize = 7, MatchExisting = true };
        Assert.Equal(30, (await f.Store.ImportAsync(Generate(30, Make), options)).Created);
        var again = await f.Store.ImportAsync(Generate(30, Make), options);
        Assert.Equal((0L, 0L, 30L), (again.Created, again.Updated, again.Unchanged));

        // A duplicate inside one stream is matched too (the lookup sees the rows this import just wrote).
        var twice = await f.Store.ImportAsync(Generate(4, i => Docs.New(title: "twice", content: "same words")), options);
        Assert.Equal((1L, 3L), (twice.Created, twice.Unchanged));
        Assert.Equal(31, f.Count("documents"));
    }

    [Fact]
    public async Task An_import_with_match_existing_updates_a_changed_source_and_creates_distinct_ones()
    {
        await using var f = new StoreFixture();
        var options = new ImportOptions { MatchExisting = true };
        NewDocument File(string path, string content) => new() { Title = "README", Type = "note", Content = content, SourcePath = path };
        var first = await f.Store.ImportAsync(Generate(2, i => File($"/srv/project{i}/README.md", "same words")), options);
        Assert.Equal((2L, 0L, 0L), (first.Created, first.Updated, first.Unchanged));

        // One file changed, one did not, one is new: a new version, nothing, a new document.
        var second = await f.Store.ImportAsync(
            Generate(3, i => i switch
            {
                0 => File("/srv/project0/README.md", "edited words"),
                1 => File("/srv/project1/README.md", "same words"),
                _ => File("/srv/project2/README.md", "same words"),
            }),
            options);
        Assert.Equal((1L, 1L, 1L), (second.Created, second.Updated, second.Unchanged));
        var edited = (await f.Store.ListAsync(new ListQuery { OrderBy = DocumentOrder.Id, Descending = false })).Items;
        Assert.Equal(3, edited.Count);
        Assert.Equal(("edited words", 2), (edited[0].Content, edited[0].Version));
        Assert.Equal("same words", (await f.Store.GetVersionAsync(edited[0].Id, 1))!.Content);
        Assert.Equal(1, f.Count("audit_log", $"operation = 'Update' AND document_id = {edited[0].Id} AND outcome = 'Success'"));

        // The same content under no source path but another title is a document of its own, never skipped.
        var other = await f.Store.ImportAsync(Generate(1, _ => Docs.New(title: "another title", content: "same words")), options);
        Assert.Equal((1L, 0L), (other.Created, other.Unchanged));
    }

    [Fact]
    public async Task A_rejection_names_the_source_path_of_the_document()
    {
        await using var f = new StoreFixture();
        var result = await f.Store.ImportAsync(
            Generate(3, i => new NewDocument { Title = i == 1 ? string.Empty : "ok " + i, Type = "note", Content = "body " + i, SourcePath = $"/in/{i}.md" }),
            new ImportOptions { SkipInvalid = true, MatchExisting = true });
        Assert.Equal((2L, 1L), (result.Created, result.Rejected));
        var rejection = Assert.Single(result.Rejections);
        Assert.Equal((1L, "/in/1.md"), (rejection.Index, rejection.SourcePath));
    }

    /// <summary>Reports on the calling thread (Progress&lt;T&gt; posts to the thread pool, after the call may have returned).</summary>
    private sealed class SynchronousProgress(List<ImportProgress> reports) : IProgress<ImportProgress>
    {
        public void Report(ImportProgress value) => reports.Add(value);
    }
}
