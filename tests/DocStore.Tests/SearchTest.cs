using DocStore.Tests.Infrastructure;

namespace DocStore.Tests;

public sealed class SearchTest
{
    [Fact]
    public async Task Search_ranks_title_hits_first_and_highlights_snippets()
    {
        await using var f = new StoreFixture();
        var body = await f.Store.CreateAsync(Docs.New(title: "Unrelated", content: "the checkpoint runs when the wal grows"));
        var title = await f.Store.CreateAsync(Docs.New(title: "Checkpoint tuning", content: "how the wal is copied back"));
        await f.Store.CreateAsync(Docs.New(title: "Other", content: "nothing to see"));

        var result = await f.Store.SearchAsync(new SearchQuery { Text = "checkpoint" });
        Assert.Equal(2, result.TotalCount);
        Assert.Equal([title.Id, body.Id], result.Items.Select(h => h.Document.Id));
        Assert.True(result.Items[0].Score <= result.Items[1].Score);
        Assert.Contains("<mark>checkpoint</mark>", result.Items[1].Snippet, StringComparison.OrdinalIgnoreCase);

        var custom = await f.Store.SearchAsync(new SearchQuery { Text = "grows", HighlightStart = "[", HighlightEnd = "]" });
        Assert.Contains("[grows]", Assert.Single(custom.Items).Snippet, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Search_supports_prefix_stemming_diacritics_tags_and_all_terms()
    {
        await using var f = new StoreFixture();
        var doc = await f.Store.CreateAsync(Docs.New(title: "Café notes", content: "Running indexes quickly", tags: ["performance"]));
        await f.Store.CreateAsync(Docs.New(title: "Other", content: "running only"));
        foreach (var text in new[] { "cafe", "CAFÉ", "run", "index*", "index", "indexing", "performance", "running indexes" })
        {
            var result = await f.Store.SearchAsync(new SearchQuery { Text = text });
            Assert.True(result.Items.Any(h => h.Document.Id == doc.Id), $"'{text}' should find the document");
        }

        Assert.Equal(1, (await f.Store.SearchAsync(new SearchQuery { Text = "running quickly" })).TotalCount);
        Assert.Equal(0, (await f.Store.SearchAsync(new SearchQuery { Text = "ind" })).TotalCount);
    }

    [Fact]
    public async Task Search_finds_updated_text_and_stops_finding_replaced_and_deleted_text()
    {
        await using var f = new StoreFixture();
        var a = await f.Store.CreateAsync(Docs.New(content: "an aardvark lives here"));
        var b = await f.Store.CreateAsync(Docs.New(content: "a buffalo lives here"));
        await f.Store.UpdateAsync(a.Id, new DocumentUpdate { Content = "a capybara moved in" });
        Assert.Equal(0, (await f.Store.SearchAsync(new SearchQuery { Text = "aardvark" })).TotalCount);
        Assert.Equal(a.Id, Assert.Single((await f.Store.SearchAsync(new SearchQuery { Text = "capybara" })).Items).Document.Id);

        await f.Store.UpdateAsync(a.Id, new DocumentUpdate { Tags = ["dromedary"] });
        Assert.Equal(1, (await f.Store.SearchAsync(new SearchQuery { Text = "dromedary" })).TotalCount);

        await f.Store.DeleteAsync(b.Id);
        Assert.Equal(0, (await f.Store.SearchAsync(new SearchQuery { Text = "buffalo" })).TotalCount);
        Assert.Equal(1, (await f.Store.SearchAsync(new SearchQuery { Text = "buffalo", Status = DocumentStatus.Deleted })).TotalCount);
        await f.Store.DeleteAsync(b.Id, DeleteMode.Hard);
        Assert.Equal(0, (await f.Store.SearchAsync(new SearchQuery { Text = "buffalo", Status = DocumentStatus.Deleted })).TotalCount);
    }

    [Fact]
    public async Task The_trash_has_its_own_index_that_follows_delete_restore_and_filters()
    {
        await using var f = new StoreFixture();
        var note = await f.Store.CreateAsync(Docs.New(content: "the wombat burrows", type: "note"));
        var page = await f.Store.CreateAsync(Docs.New(content: "a wombat page", type: "page"));
        await f.Store.DeleteAsync(note.Id);
        await f.Store.DeleteAsync(page.Id);

        Assert.Equal(0, (await f.Store.SearchAsync(new SearchQuery { Text = "wombat" })).TotalCount);
        Assert.Equal(2, (await f.Store.SearchAsync(new SearchQuery { Text = "wombat", Status = DocumentStatus.Deleted })).TotalCount);
        var pages = await f.Store.SearchAsync(new SearchQuery { Text = "wombat", Status = DocumentStatus.Deleted, Type = "page" });
        Assert.Equal(page.Id, Assert.Single(pages.Items).Document.Id);

        await f.Store.RestoreVersionAsync(note.Id, note.Version);
        Assert.Equal(note.Id, Assert.Single((await f.Store.SearchAsync(new SearchQuery { Text = "burrows" })).Items).Document.Id);
        Assert.Equal(page.Id, Assert.Single((await f.Store.SearchAsync(new SearchQuery { Text = "wombat", Status = DocumentStatus.Deleted })).Items).Document.Id);
        Assert.Equal(note.Id, Assert.Single((await f.Store.SearchAsync(new SearchQuery { Text = "wombat", Status = DocumentStatus.Active })).Items).Document.Id);
        f.FtsIntegrityCheck();
    }

    [Fact]
    public async Task A_search_for_a_title_ranks_the_document_with_that_title_first()
    {
        await using var f = new StoreFixture();
        // Longer titles containing the word, and a body that repeats it, all outrank the short title in BM25 alone.
        await f.Store.CreateAsync(Docs.New(title: "Edge cases of edge routing", content: "edge edge edge edge"));
        await f.Store.CreateAsync(Docs.New(title: "Edge functions", content: "edge"));
        var edge = await f.Store.CreateAsync(Docs.New(title: "12.3. Edge", content: "A line between two vertices; see the edge list and edge weights."));
        var typed = await f.Store.CreateAsync(Docs.New(title: "pg_user", content: "the view"));
        await f.Store.CreateAsync(Docs.New(title: "pg_user_mapping", content: "pg_user pg_user pg_user"));

        foreach (var text in new[] { "Edge", "edge", " EDGE ", "12.3. Edge" })
        {
            Assert.Equal(edge.Id, (await f.Store.SearchAsync(new SearchQuery { Text = text })).Items[0].Document.Id);
        }

        Assert.Equal(typed.Id, (await f.Store.SearchAsync(new SearchQuery { Text = "pg_user" })).Items[0].Document.Id);
        Assert.Equal(typed.Id, (await f.Store.SearchAsync(new SearchQuery { Text = "PG-User" })).Items[0].Document.Id);

        // A retitled document leaves its old title behind.
        await f.Store.UpdateAsync(edge.Id, new DocumentUpdate { Title = "Vertex" });
        Assert.NotEqual(edge.Id, (await f.Store.SearchAsync(new SearchQuery { Text = "edge" })).Items[0].Document.Id);
        Assert.Equal(edge.Id, (await f.Store.SearchAsync(new SearchQuery { Text = "vertex" })).Items[0].Document.Id);
    }

    [Theory]
    [InlineData("12.3. Edge", "edge")]
    [InlineData("Chapter\u00a031.\u00a0Logical Replication", "logical replication")]
    [InlineData("F.6. basic_archive", "basic archive")]
    [InlineData("Part II. The SQL Language", "the sql language")]
    [InlineData("appendix B: Date/Time Support", "date time support")]
    [InlineData("1.2 Getting Started", "getting started")]
    [InlineData("7. Queries", "queries")]
    [InlineData("A Complete Trigger Example", "a complete trigger example")]
    [InlineData("2024 Roadmap", "2024 roadmap")]
    [InlineData("I/O Tuning", "i o tuning")]
    [InlineData("Ünïcode  --  Straße", "ünïcode straße")]
    [InlineData("12.3.", "12 3")]
    [InlineData("...", "")]
    public void A_title_key_drops_section_numbers_case_and_punctuation(string title, string key) =>
        Assert.Equal(key, DocStore.Search.TitleKey.Of(title));

    [Fact]
    public async Task Search_applies_list_filters_and_pages_with_totals()
    {
        await using var f = new StoreFixture();
        for (var i = 0; i < 30; i++)
        {
            await f.Store.CreateAsync(Docs.New(title: "item " + i, content: "shared term", type: i % 2 == 0 ? "api" : "note", tags: i % 3 == 0 ? ["three"] : null, metadata: $"{{\"i\":{i}}}"));
        }

        var page = await f.Store.SearchAsync(new SearchQuery { Text = "shared", Type = "api", Page = 2, PageSize = 4 });
        Assert.Equal(15, page.TotalCount);
        Assert.Equal(4, page.Items.Count);
        Assert.All(page.Items, h => Assert.Equal("api", h.Document.Type));
        Assert.Equal(5, (await f.Store.SearchAsync(new SearchQuery { Text = "shared", Type = "api", Tags = ["three"] })).TotalCount);
        Assert.Equal(1, (await f.Store.SearchAsync(new SearchQuery { Text = "shared", Metadata = [MetadataFilter.Equal("i", 7)] })).TotalCount);
    }

    public static TheoryData<string> HostileInputs() =>
    [
        "\"", "\"\"", "'", "a\"b", "\"unclosed phrase", "AND", "OR OR", "NOT", "a AND", "NEAR(a b", "(", ")", "*", "**", "a*b*",
        "title:secret", "content:x OR title:y", "{title content}: x", "-x", "^start", "+", "a + b", "x:", ":x", "\\", "%", "_",
        "🙂", "日本語のテキスト", "ﬁ ligature", "zero\u200Bwidth", "nul\0byte", "tab\tand\nnewline", "\u0001\u0002",
        "'; DROP TABLE documents; --", "\") OR 1=1 --", "x\" OR \"y", new string('a', 1000), string.Join(' ', Enumerable.Repeat("w", 32)),
    ];

    [Theory]
    [MemberData(nameof(HostileInputs))]
    public async Task Simple_mode_treats_hostile_text_as_words(string text)
    {
        await using var f = new StoreFixture();
        await f.Store.CreateAsync(Docs.New(title: "secret", content: "x y start a b"));
        try
        {
            var result = await f.Store.SearchAsync(new SearchQuery { Text = text });
            Assert.True(result.TotalCount >= 0);
        }
        catch (InvalidSearchQueryException e)
        {
            Assert.False(string.IsNullOrWhiteSpace(e.Message));
        }

        Assert.Equal(1, f.Count("documents"));
    }

    [Theory]
    [MemberData(nameof(HostileInputs))]
    public async Task Advanced_mode_rejects_bad_syntax_only_with_the_typed_exception(string text)
    {
        await using var f = new StoreFixture();
        await f.Store.CreateAsync(Docs.New(title: "secret", content: "x y start a b"));
        try
        {
            await f.Store.SearchAsync(new SearchQuery { Text = text, Mode = SearchMode.Advanced });
        }
        catch (InvalidSearchQueryException e)
        {
            Assert.DoesNotContain("SQLite Error", e.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Operators_and_column_filters_are_plain_words_in_simple_mode()
    {
        await using var f = new StoreFixture();
        await f.Store.CreateAsync(Docs.New(title: "secret", content: "public text"));
        Assert.Equal(0, (await f.Store.SearchAsync(new SearchQuery { Text = "title:secret" })).TotalCount);
        Assert.Equal(1, (await f.Store.SearchAsync(new SearchQuery { Text = "title:secret", Mode = SearchMode.Advanced })).TotalCount);
        Assert.Equal(0, (await f.Store.SearchAsync(new SearchQuery { Text = "public OR nothing" })).TotalCount);
        Assert.Equal(1, (await f.Store.SearchAsync(new SearchQuery { Text = "public OR nothing", Mode = SearchMode.Advanced })).TotalCount);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("!!! ??? ---")]
    [InlineData("\"\"")]
    public async Task Empty_queries_throw_the_typed_exception(string text)
    {
        await using var f = new StoreFixture();
        await Assert.ThrowsAsync<InvalidSearchQueryException>(() => f.Store.SearchAsync(new SearchQuery { Text = text }));
    }

    [Fact]
    public async Task Over_long_and_over_wordy_queries_throw_the_typed_exception()
    {
        await using var f = new StoreFixture();
        var tenKb = string.Concat(Enumerable.Repeat("abcdefghi ", 1024));
        await Assert.ThrowsAsync<InvalidSearchQueryException>(() => f.Store.SearchAsync(new SearchQuery { Text = tenKb }));
        await Assert.ThrowsAsync<InvalidSearchQueryException>(() => f.Store.SearchAsync(new SearchQuery { Text = tenKb, Mode = SearchMode.Advanced }));
        await Assert.ThrowsAsync<InvalidSearchQueryException>(() => f.Store.SearchAsync(new SearchQuery { Text = string.Join(' ', Enumerable.Repeat("w", 33)) }));
        await Assert.ThrowsAsync<InvalidSearchQueryException>(() => f.Store.SearchAsync(new SearchQuery { Text = "a AND", Mode = SearchMode.Advanced }));
        await Assert.ThrowsAsync<InvalidSearchQueryException>(() => f.Store.SearchAsync(new SearchQuery { Text = "nosuchcolumn:x", Mode = SearchMode.Advanced }));
    }

    [Fact]
    public async Task Random_unicode_and_punctuation_never_escape_as_anything_but_the_typed_exception()
    {
        await using var f = new StoreFixture();
        await f.Store.CreateAsync(Docs.New());
        var random = new Random(1234);
        const string alphabet = "ab \"'*:^-+(){}[]\\/,.;!?%_@#~`|<>=&\u00e9\u4e2d\U0001F600\0\t\n";
        for (var i = 0; i < 300; i++)
        {
            var chars = new char[random.Next(1, 40)];
            for (var c = 0; c < chars.Length; c++)
            {
                chars[c] = alphabet[random.Next(alphabet.Length)];
            }

            foreach (var mode in new[] { SearchMode.Simple, SearchMode.Advanced })
            {
                try
                {
                    await f.Store.SearchAsync(new SearchQuery { Text = new string(chars), Mode = mode });
                }
                catch (InvalidSearchQueryException)
                {
                }
            }
        }
    }
}
