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
        Assert.Equal(Path.GetFullPath(Path.Combine(folder, "sub", "b.md")), documents[1].SourcePath);
        await f.Store.CreateManyAsync(documents);
        Assert.Equal(1, (await f.Store.SearchAsync(new SearchQuery { Text = "rebuild" })).TotalCount);
        await Assert.ThrowsAsync<DirectoryNotFoundException>(async () =>
        {
            await foreach (var _ in FolderImporter.ReadAsync(f.Directory.File("missing")))
            {
            }
        });
    }

    [Fact]
    public async Task Files_of_the_same_name_in_different_folders_are_different_documents_and_edits_are_picked_up()
    {
        await using var f = new StoreFixture();
        var root = f.Directory.File("tree");
        foreach (var (folder, text) in new[] { ("one", "first readme"), ("two", "second readme") })
        {
            Directory.CreateDirectory(Path.Combine(root, folder));
            await File.WriteAllTextAsync(Path.Combine(root, folder, "README.md"), text);
        }

        var options = new ImportOptions { MatchExisting = true };
        var first = await f.Store.ImportAsync(FolderImporter.ReadAsync(root), options);
        Assert.Equal((2L, 0L, 0L), (first.Created, first.Updated, first.Unchanged));

        // Given as files (the shell's expansion of tree/*/README.md), the same files are recognised, not re-created.
        var asFiles = await f.Store.ImportAsync(FolderImporter.ReadFilesAsync([Path.Combine(root, "one", "README.md"), Path.Combine(root, "two", "..", "two", "README.md")]), options);
        Assert.Equal((0L, 0L, 2L), (asFiles.Created, asFiles.Updated, asFiles.Unchanged));

        await File.WriteAllTextAsync(Path.Combine(root, "two", "README.md"), "second readme, edited");
        var again = await f.Store.ImportAsync(FolderImporter.ReadAsync(root), options);
        Assert.Equal((0L, 1L, 1L), (again.Created, again.Updated, again.Unchanged));
        Assert.Equal(1, (await f.Store.SearchAsync(new SearchQuery { Text = "edited" })).TotalCount);
    }

    [Fact]
    public async Task A_file_reached_through_a_symbolic_link_is_the_same_document()
    {
        await using var f = new StoreFixture();
        var real = f.Directory.File("real");
        Directory.CreateDirectory(real);
        await File.WriteAllTextAsync(Path.Combine(real, "note.txt"), "linked text");
        var link = f.Directory.File("link");
        Directory.CreateSymbolicLink(link, real);

        var options = new ImportOptions { MatchExisting = true };
        Assert.Equal(1, (await f.Store.ImportAsync(FolderImporter.ReadAsync(real), options)).Created);
        var throughLink = await f.Store.ImportAsync(FolderImporter.ReadAsync(link), options);
        Assert.Equal((0L, 1L), (throughLink.Created, throughLink.Unchanged));
    }
}
