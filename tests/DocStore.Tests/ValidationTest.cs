using DocStore.Tests.Infrastructure;

namespace DocStore.Tests;

public sealed class ValidationTest
{
    public static TheoryData<string, NewDocument> InvalidDocuments() => new()
    {
        { "Title", new NewDocument { Title = null!, Type = "note", Content = "c" } },
        { "Title", new NewDocument { Title = "   ", Type = "note", Content = "c" } },
        { "Title", new NewDocument { Title = new string('t', 256), Type = "note", Content = "c" } },
        { "Title", new NewDocument { Title = "bad\u0001title", Type = "note", Content = "c" } },
        { "Title", new NewDocument { Title = "lone \ud800 surrogate", Type = "note", Content = "c" } },
        { "Type", new NewDocument { Title = "t", Type = "Not A Slug", Content = "c" } },
        { "Type", new NewDocument { Title = "t", Type = "", Content = "c" } },
        { "Type", new NewDocument { Title = "t", Type = new string('a', 33), Content = "c" } },
        { "Status", new NewDocument { Title = "t", Type = "note", Content = "c", Status = (DocumentStatus)42 } },
        { "Status", new NewDocument { Title = "t", Type = "note", Content = "c", Status = DocumentStatus.Deleted } },
        { "Content", new NewDocument { Title = "t", Type = "note", Content = null! } },
        { "Content", new NewDocument { Title = "t", Type = "note", Content = "nul\0inside" } },
        { "Content", new NewDocument { Title = "t", Type = "note", Content = new string('x', 2049) } },
        { "Format", new NewDocument { Title = "t", Type = "note", Content = "c", Format = "Mark Down" } },
        { "Language", new NewDocument { Title = "t", Type = "note", Content = "c", Language = "english!" } },
        { "SourcePath", new NewDocument { Title = "t", Type = "note", Content = "c", SourcePath = new string('p', 1025) } },
        { "Tags[1]", new NewDocument { Title = "t", Type = "note", Content = "c", Tags = ["ok", "has space"] } },
        { "Tags[0]", new NewDocument { Title = "t", Type = "note", Content = "c", Tags = [new string('t', 65)] } },
        { "Tags[0]", new NewDocument { Title = "t", Type = "note", Content = "c", Tags = ["-leading"] } },
        { "Tags", new NewDocument { Title = "t", Type = "note", Content = "c", Tags = Enumerable.Range(0, 5).Select(i => "t" + i) } },
        { "Metadata", new NewDocument { Title = "t", Type = "note", Content = "c", Metadata = "[1,2]" } },
        { "Metadata", new NewDocument { Title = "t", Type = "note", Content = "c", Metadata = "{\"a\":" } },
        { "Metadata", new NewDocument { Title = "t", Type = "note", Content = "c", Metadata = "\"text\"" } },
        { "Metadata", new NewDocument { Title = "t", Type = "note", Content = "c", Metadata = "{\"a\":\"" + new string('m', 300) + "\"}" } },
        { "Metadata", new NewDocument { Title = "t", Type = "note", Content = "c", Metadata = "{\"a\":\"lone \ud800 surrogate\"}" } },
    };

    private static StoreFixture SmallLimits() => new(path => new DocStoreOptions
    {
        DatabasePath = path,
        MaxContentBytes = 2048,
        MaxTags = 4,
        MaxMetadataBytes = 256,
    });

    [Theory]
    [MemberData(nameof(InvalidDocuments))]
    public async Task Create_rejects_each_invalid_field_and_writes_no_document(string field, NewDocument document)
    {
        await using var f = SmallLimits();
        var e = await Assert.ThrowsAsync<DocumentValidationException>(() => f.Store.CreateAsync(document));
        Assert.Contains(e.Errors, error => error.Field == field);
        Assert.Contains(field, e.Message, StringComparison.Ordinal);
        Assert.Equal(0, f.Count("documents"));
        Assert.Equal(0, f.Count("document_versions"));
        Assert.Equal(1, f.Count("audit_log", "outcome = 'Rejected'"));
    }

    [Fact]
    public async Task Every_bad_field_is_listed_not_just_the_first()
    {
        await using var f = SmallLimits();
        var e = await Assert.ThrowsAsync<DocumentValidationException>(() => f.Store.CreateAsync(
            new NewDocument { Title = "", Type = "BAD", Content = "c", Metadata = "[]" }));
        Assert.Equal(["Title", "Type", "Metadata"], e.Errors.Select(x => x.Field));
    }

    [Fact]
    public async Task Update_validates_the_fields_it_changes_and_changes_nothing_when_invalid()
    {
        await using var f = SmallLimits();
        var doc = await f.Store.CreateAsync(Docs.New());
        var e = await Assert.ThrowsAsync<DocumentValidationException>(() =>
            f.Store.UpdateAsync(doc.Id, new DocumentUpdate { Title = "fine", Metadata = "nope", Status = DocumentStatus.Deleted }));
        Assert.Equal(["Status", "Metadata"], e.Errors.Select(x => x.Field).Order().Reverse());
        Assert.Equal(doc, await f.Store.GetAsync(doc.Id));
        Assert.Equal(0, f.Count("document_versions"));
        Assert.Single(await f.Store.GetVersionsAsync(doc.Id));
    }

    [Fact]
    public async Task Valid_edge_values_are_accepted()
    {
        await using var f = SmallLimits();
        var doc = await f.Store.CreateAsync(new NewDocument
        {
            Title = new string('t', 255),
            Type = "a",
            Content = new string('x', 2048),
            Format = "c++",
            Language = "zh-Hant-TW",
            Tags = ["Ünïcode", "c#", "a.b/c:d", "x_y-z"],
            Metadata = "{\"nested\":{\"deep\":[1,2,{\"k\":null}]}}",
        });
        Assert.Equal(["a.b/c:d", "c#", "x_y-z", "ünïcode"], doc.Tags);
    }
}
