using System.Text;
using DocStore.Fast;
using DocStore.Tests.Infrastructure;

namespace DocStore.Tests;

/// <summary>
/// Search costs stay bounded whatever a document holds (FTS5's snippet() was quadratic in a term's
/// occurrences), and hits show their match the way a user reads it. Each case runs on both paths.
/// </summary>
public sealed class SearchBoundsTest
{
    /// <summary>Far more than a bounded search needs here (about a second); the old snippet() took minutes on the 10 MiB case.</summary>
    private static readonly TimeSpan NoHang = TimeSpan.FromSeconds(90);

    private static OptimizedFixture Fixture() => new(path => new OptimizedStorageOptions { DatabasePath = path, ResultCacheEntries = 0, EnableAccessTracking = false });

    private static async Task<PagedResult<SearchHit>> BothPathsAsync(OptimizedFixture f, SearchQuery query)
    {
        var ef = await f.Ef.SearchAsync(query).WaitAsync(NoHang);
        var fast = await f.Store.SearchAsync(query).WaitAsync(NoHang);
        Assert.Equal(ef.TotalCount, fast.TotalCount);
        Assert.Equal(ef.Items, fast.Items);
        return fast;
    }

    [Fact]
    public async Task A_document_repeating_the_term_forty_thousand_times_is_searched_with_a_short_snippet()
    {
        await using var f = Fixture();
        await f.Store.CreateAsync(Docs.New(title: "t", content: string.Join(' ', Enumerable.Repeat("fox", 40_000))));
        var hit = Assert.Single((await BothPathsAsync(f, new SearchQuery { Text = "fox" })).Items);
        Assert.StartsWith("<mark>fox</mark> <mark>fox</mark>", hit.Snippet, StringComparison.Ordinal);
        Assert.True(hit.Snippet.Length < 400, hit.Snippet);
        Assert.EndsWith("…", hit.Snippet, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_ten_mebibyte_document_with_the_term_every_sixth_word_answers()
    {
        await using var f = Fixture();
        var words = new[] { "alpha", "brown", "quick", "lazy", "dog", "jumps" };
        var text = new StringBuilder(10 * 1024 * 1024);
        var i = 0;
        while (text.Length < (10 * 1024 * 1024) - 16)
        {
            text.Append(i % 6 == 5 ? "fox" : words[i % words.Length]).Append(' ');
            i++;
        }

        // The match comes late too: the best window is found in one pass, not by scoring matches against each other.
        await f.Store.CreateAsync(Docs.New(title: "big", content: text.ToString()));
        var hit = Assert.Single((await BothPathsAsync(f, new SearchQuery { Text = "fox" })).Items);
        Assert.Contains("<mark>fox</mark>", hit.Snippet, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_hit_on_a_tag_shows_the_tags_as_words_not_json()
    {
        await using var f = Fixture();
        await f.Store.CreateAsync(Docs.New(title: "Numbers", content: "nothing to see", tags: ["tool", "Mathematics"]));
        var hit = Assert.Single((await BothPathsAsync(f, new SearchQuery { Text = "mathematics" })).Items);
        Assert.Equal("<mark>mathematics</mark> tool", hit.Snippet);
    }

    [Fact]
    public async Task A_tag_with_non_ascii_letters_is_found_by_its_letters()
    {
        await using var f = Fixture();
        await f.Store.CreateAsync(Docs.New(title: "Menu", content: "drinks", tags: ["café"]));
        var hit = Assert.Single((await BothPathsAsync(f, new SearchQuery { Text = "café" })).Items);
        Assert.Equal("<mark>café</mark>", hit.Snippet);
    }

    [Fact]
    public async Task Searches_that_differ_only_in_their_highlight_markers_get_their_own_snippets()
    {
        await using var f = new OptimizedFixture();
        await f.Store.CreateAsync(Docs.New(title: "t", content: "alpha beta gamma"));
        var a = await f.Store.SearchAsync(new SearchQuery { Text = "beta", HighlightStart = "[\u001f", HighlightEnd = "]" });
        var b = await f.Store.SearchAsync(new SearchQuery { Text = "beta", HighlightStart = "[", HighlightEnd = "\u001f]" });
        Assert.Equal("alpha [\u001fbeta] gamma", a.Items[0].Snippet);
        Assert.Equal("alpha [beta\u001f] gamma", b.Items[0].Snippet);
    }

    [Fact]
    public async Task Text_holding_the_internal_marker_characters_still_gets_a_correct_snippet()
    {
        await using var f = Fixture();
        await f.Store.CreateAsync(Docs.New(title: "t", content: "private \uE000use\uE001 chars then needle here"));
        var hit = Assert.Single((await BothPathsAsync(f, new SearchQuery { Text = "needle" })).Items);
        Assert.Equal("private \uE000use\uE001 chars then <mark>needle</mark> here", hit.Snippet);
    }
}
