using DocStore.Import;
using DocStore.Tests.Infrastructure;

namespace DocStore.Tests;

/// <summary>JSON-lines export and import: a round trip gives an equivalent store; bad lines are reported by number.</summary>
public sealed class JsonLinesTest
{
    [Fact]
    public async Task Export_then_import_into_an_empty_store_gives_the_same_documents()
    {
        await using var source = new StoreFixture();
        var random = new Random(5);
        var documents = Enumerable.Range(0, 1_234).Select(_ => Docs.Random(random)).ToList();
        documents.Add(new NewDocument
        {
            Title = "Ünïcödé \"quotes\" and \\ backslash",
            Type = "note",
            Content = "line one\nline two \u2028 with a separator and emoji \U0001F600",
            Status = DocumentStatus.Draft,
            Format = "plain",
            Language = "de",
            SourcePath = "folder/ä.txt",
            Tags = ["x", "y"],
            Metadata = "{\"nested\":{\"a\":[1,2,3]},\"flag\":true}",
        });
        await source.Store.CreateManyAsync(documents);
        var deleted = (await source.Store.ListAsync(new ListQuery { PageSize = 1 })).Items[0];
        await source.Store.DeleteAsync(deleted.Id);

        var exported = new StringWriter();
        var progress = new List<long>();
        var count = await JsonLines.WriteAsync(source.Store, exported, new SyncProgress(progress.Add));
        Assert.Equal(documents.Count - 1, count);
        Assert.Equal(count, progress[^1]);
        Assert.True(progress.Count >= 3, "written in pages");

        await using var target = new StoreFixture();
        var result = await target.Store.ImportAsync(JsonLines.ReadAsync(new StringReader(exported.ToString())));
        Assert.Equal(count, result.Created);

        var again = new StringWriter();
        await JsonLines.WriteAsync(target.Store, again);
        Assert.Equal(Fields(exported.ToString()), Fields(again.ToString()));
    }

    [Fact]
    public async Task Bad_lines_are_reported_with_their_numbers_and_the_rest_read()
    {
        var text = "{\"title\":\"a\",\"type\":\"note\",\"content\":\"x\"}\n\n{oops\n[1,2]\n{\"title\":\"no content\",\"type\":\"note\"}\n{\"title\":\"b\",\"type\":\"note\",\"content\":\"y\",\"status\":\"Sideways\"}\n{\"title\":\"c\",\"type\":\"note\",\"content\":\"z\"}\n";
        var errors = new List<JsonLineError>();
        var read = new List<NewDocument>();
        await foreach (var document in JsonLines.ReadAsync(new StringReader(text), errors.Add))
        {
            read.Add(document);
        }

        Assert.Equal(["a", "c"], read.Select(d => d.Title));
        Assert.All(read, d => Assert.Equal(DocumentStatus.Active, d.Status));
        Assert.Equal([3L, 4L, 5L, 6L], errors.Select(e => e.Line));
        await Assert.ThrowsAsync<FormatException>(async () =>
        {
            await foreach (var _ in JsonLines.ReadAsync(new StringReader(text)))
            {
            }
        });
    }

    private static List<string> Fields(string jsonLines) => jsonLines.Split('\n', StringSplitOptions.RemoveEmptyEntries)
        .Select(line =>
        {
            using var document = System.Text.Json.JsonDocument.Parse(line);
            var r = document.RootElement;
            string? Get(string name) => r.TryGetProperty(name, out var v) ? v.ToString() : null;
            return string.Join('|', Get("title"), Get("type"), Get("status"), Get("content"), Get("format"), Get("language"), Get("sourcePath"), Get("tags"), Get("metadata"));
        })
        .Order(StringComparer.Ordinal)
        .ToList();

    private sealed class SyncProgress(Action<long> report) : IProgress<long>
    {
        public void Report(long value) => report(value);
    }
}
