using DocStore.Import;
using DocStore.Tests.Infrastructure;

namespace DocStore.Tests;

public sealed class ImportTest
{
    [Fact]
    public void Html_becomes_readable_text_without_scripts_styles_or_tags()
    {
        const string Html = """
            <html><head><title>The &amp; Title</title><style>p { color: red }</style>
            <script>var secret = 1;</script></head>
            <body><h1>Heading</h1><p>First&nbsp;para with <b>bold</b> and <a href="x">a link</a>.</p>
            <!-- hidden comment --><ul><li>one</li><li>two &lt;3</li></ul></body></html>
            """;
        var text = HtmlText.ToPlainText(Html);
        Assert.Equal("The & Title\n\nHeading\n\nFirst para with bold and a link .\n\none\n\ntwo <3", text);
        Assert.Equal("The & Title", HtmlText.Title(Html));
        Assert.Null(HtmlText.Title("<p>no title</p>"));
    }

    [Fact]
    public async Task A_folder_imports_into_a_searchable_store()
    {
        await using var f = new StoreFixture();
        var folder = f.Directory.File("docs");
        Directory.CreateDirectory(Path.Combine(folder, "sub"));
        await File.WriteAllTextAsync(Path.Combine(folder, "a.html"), "<title>Vacuum</title><p>VACUUM rebuilds the file</p>");
        await File.WriteAllTextAsync(Path.Combine(folder, "sub", "b.md"), "# Checkpoints\nThe WAL is copied back.");
        await File.WriteAllTextAsync(Path.Combine(folder, "empty.txt"), "   ");
        await File.WriteAllTextAsync(Path.Combine(folder, "image.png"), "not text");

        var documents = new List<NewDocument>();
        await foreach (var document in FolderImporter.ReadAsync(folder, "manual"))
        {
            documents.Add(document);
        }

        Assert.Equal(["Vacuum", "Checkpoints"], documents.Select(d => d.Title));
        Assert.Equal(["plain", "markdown"], documents.Select(d => d.Format));
        Assert.Equal(Path.Combine("sub", "b.md"), documents[1].SourcePath);
        await f.Store.CreateManyAsync(documents);
        Assert.Equal(1, (await f.Store.SearchAsync(new SearchQuery { Text = "rebuild" })).TotalCount);
        await Assert.ThrowsAsync<DirectoryNotFoundException>(async () =>
        {
            await foreach (var _ in FolderImporter.ReadAsync(f.Directory.File("missing")))
            {
            }
        });
    }
}
