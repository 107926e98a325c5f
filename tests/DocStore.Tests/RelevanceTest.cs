using System.Text.RegularExpressions;
using DocStore.Import;
using DocStore.Tests.Infrastructure;

namespace DocStore.Tests;

/// <summary>
/// Search over real text, on both engines: the PostgreSQL manual (Debian's postgresql-doc-15, installed by
/// scripts/test.sh), imported once into a SQLite store and a PostgreSQL store. Every page whose title, without its
/// section number, is unique in the manual is searched for by that title as a user would type it; the page should
/// come first. Stemmers and tokenizers differ between the engines (Porter and FTS5's unicode61; Snowball and
/// PostgreSQL's parser), so across engines the properties are compared, not hit lists: a word of the manual found
/// on one engine is found on the other, and the pages holding it are among the hits on both.
/// </summary>
public sealed partial class RelevanceTest(RelevanceTest.Manuals manuals, ITestOutputHelper output) : IClassFixture<RelevanceTest.Manuals>
{
    private const string Manual = "/usr/share/doc/postgresql-doc-15/html";

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    public async Task Known_items_are_found_by_their_titles_with_mrr_at_10_of_at_least_0_95(string engine)
    {
        var store = manuals.Store(engine);
        var byQuery = manuals.Pages
            .GroupBy(d => TypedTitle(d.Title), StringComparer.OrdinalIgnoreCase)
            .Where(g => g.Count() == 1 && g.Key.Length > 0)
            .ToDictionary(g => g.Key, g => g.Single().Id, StringComparer.OrdinalIgnoreCase);
        Assert.True(byQuery.Count > 900, $"only {byQuery.Count} known items");

        var (mrr, misses) = await MeanReciprocalRankAsync(store, byQuery, SearchMode.Simple);
        output.WriteLine($"{engine}: {byQuery.Count} known items: MRR@10 {mrr:F3} (first {byQuery.Count - misses.Count} times)");
        if (engine == "sqlite")
        {
            // The same queries as plain FTS5 terms (advanced mode: BM25 with column weights, no title-key lookup), for the record.
            var (bm25Only, _) = await MeanReciprocalRankAsync(store, byQuery, SearchMode.Advanced);
            output.WriteLine($"BM25 alone {bm25Only:F3}");
        }

        foreach (var miss in misses.Take(40))
        {
            output.WriteLine(miss);
        }

        Assert.True(mrr >= 0.95, $"MRR@10 {mrr:F3} < 0.95; misses:\n{string.Join('\n', misses.Take(20))}");
    }

    [Fact]
    public async Task A_word_of_the_manual_found_on_one_engine_is_found_on_the_other_with_the_pages_that_hold_it()
    {
        // 300 words of the manual's text, drawn from its vocabulary with a fixed seed, with the pages holding each
        // (as a whole word within the indexed part of the content).
        var holders = new Dictionary<string, HashSet<long>>(StringComparer.Ordinal);
        foreach (var page in manuals.Pages)
        {
            var indexed = page.Content.Length > 100_000 ? page.Content[..100_000] : page.Content;
            foreach (var word in PlainWord().Matches(indexed.ToLowerInvariant()).Select(m => m.Value).Distinct())
            {
                (holders.TryGetValue(word, out var set) ? set : holders[word] = []).Add(page.Id);
            }
        }

        var random = new Random(7);
        var words = holders.Keys.Order(StringComparer.Ordinal).OrderBy(_ => random.Next()).Take(300).ToList();
        var disagreements = new List<string>();
        foreach (var word in words)
        {
            var query = new SearchQuery { Text = word, PageSize = DocumentQueryBase.MaxPageSize };
            var (lite, pg) = (await manuals.Sqlite.SearchAsync(query), await manuals.PostgreSql.SearchAsync(query));
            var expected = holders[word].Count;
            if (lite.TotalCount < expected || pg.TotalCount < expected)
            {
                var page = manuals.Pages.First(p => holders[word].Contains(p.Id)).Content;
                var at = PlainWord().Matches(page.ToLowerInvariant()).First(m => m.Value == word).Index;
                disagreements.Add($"'{word}': {expected} pages hold it, SQLite finds {lite.TotalCount}, PostgreSQL {pg.TotalCount}; in '{page[Math.Max(0, at - 40)..Math.Min(page.Length, at + 40)]}'");
                continue;
            }

            // Where every hit fits on one page, every page holding the word is among them, on both engines.
            foreach (var (engine, result) in new[] { ("SQLite", lite), ("PostgreSQL", pg) })
            {
                var ids = result.Items.Select(h => h.Document.Id).ToHashSet();
                if (result.TotalCount <= result.Items.Count && !holders[word].IsSubsetOf(ids))
                {
                    disagreements.Add($"'{word}': {engine} misses {holders[word].Count(id => !ids.Contains(id))} of the {expected} pages holding it");
                }
            }
        }

        output.WriteLine($"{words.Count} words, {disagreements.Count} disagreements");
        Assert.True(disagreements.Count == 0, string.Join('\n', disagreements.Take(30)));
    }

    /// <summary>The manual imported once into each engine, for every test of the class.</summary>
    public sealed class Manuals : IAsyncLifetime
    {
        private readonly StoreFixture _sqlite = new();
        private PostgresDatabase? _database;

        public LocalStorageSystem Sqlite => _sqlite.Store;

        public LocalStorageSystem PostgreSql { get; private set; } = null!;

        /// <summary>Every page, as the SQLite store holds it (ids are the same on both: imported in the same order).</summary>
        public List<Document> Pages { get; } = [];

        public LocalStorageSystem Store(string engine) => engine == "sqlite" ? Sqlite : PostgreSql;

        public async ValueTask InitializeAsync()
        {
            Assert.True(
                Directory.Exists(Manual),
                $"{Manual} is missing: install the Debian package postgresql-doc-15 (scripts/test.sh does).");
            _database = new PostgresDatabase();
            PostgreSql = _database.Open();
            var imported = await Sqlite.ImportAsync(FolderImporter.ReadAsync(Manual, "manual"));
            Assert.True(imported.Created > 1000, $"only {imported.Created} pages imported");
            Assert.Equal(imported.Created, (await PostgreSql.ImportAsync(FolderImporter.ReadAsync(Manual, "manual"))).Created);
            for (var page = 1; Pages.Count < imported.Created; page++)
            {
                Pages.AddRange((await Sqlite.ListAsync(new ListQuery { Page = page, PageSize = DocumentQueryBase.MaxPageSize, OrderBy = DocumentOrder.Id })).Items);
            }

            var there = new List<Document>();
            for (var page = 1; there.Count < imported.Created; page++)
            {
                there.AddRange((await PostgreSql.ListAsync(new ListQuery { Page = page, PageSize = DocumentQueryBase.MaxPageSize, OrderBy = DocumentOrder.Id })).Items);
            }

            Assert.Equal(Pages.Select(p => (p.Id, p.Title, p.Content)), there.Select(p => (p.Id, p.Title, p.Content)));
        }

        public async ValueTask DisposeAsync()
        {
            PostgreSql?.Dispose();
            await _sqlite.DisposeAsync();
            if (_database is not null)
            {
                await _database.DisposeAsync();
            }
        }
    }

    private static async Task<(double Mrr, List<string> Misses)> MeanReciprocalRankAsync(
        IDocumentStore store, Dictionary<string, long> byQuery, SearchMode mode)
    {
        var reciprocalRanks = 0.0;
        var misses = new List<string>();
        foreach (var (title, id) in byQuery)
        {
            var text = mode == SearchMode.Simple ? title : string.Join(' ', TitleKeyWords(title).Select(w => $"\"{w}\""));
            var result = await store.SearchAsync(new SearchQuery { Text = text, Mode = mode, PageSize = 10 });
            var rank = result.Items.Select(h => h.Document.Id).ToList().IndexOf(id);
            if (rank >= 0)
            {
                reciprocalRanks += 1.0 / (rank + 1);
            }

            if (rank != 0)
            {
                misses.Add($"'{title}': rank {(rank < 0 ? "> 10" : rank + 1)}, first '{result.Items.FirstOrDefault()?.Document.Title}'");
            }
        }

        return (reciprocalRanks / byQuery.Count, misses);
    }

    private static IEnumerable<string> TitleKeyWords(string title) =>
        title.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Select(w => w.Replace("\"", "\"\"", StringComparison.Ordinal));

    /// <summary>The title as a reader would type it: without "Chapter 31.", "42.1." or "F.6." and with plain spaces.</summary>
    private static string TypedTitle(string title) =>
        SectionNumber().Replace(title.Replace('\u00a0', ' '), string.Empty).Trim();

    [GeneratedRegex(@"^((Chapter|Appendix|Part)\s+)?[A-Z]?[\dIVXL]*(\.\d+)*\.\s+")]
    private static partial Regex SectionNumber();

    /// <summary>A word of plain letters between spaces or punctuation that both engines read as a word (not part of a path, host or identifier).</summary>
    [GeneratedRegex(@"(?<![\w./@-])[a-z]{4,15}(?![\w/@-]|\.\w)")]
    private static partial Regex PlainWord();
}
