using System.Text.RegularExpressions;
using DocStore.Import;
using DocStore.Tests.Infrastructure;

namespace DocStore.Tests;

/// <summary>
/// Known-item search over real text: the PostgreSQL manual (Debian's postgresql-doc-15, installed by
/// scripts/test.sh). Every page whose title, without its section number, is unique in the manual is
/// searched for by that title as a user would type it; the page should come first.
/// </summary>
public sealed partial class RelevanceTest(ITestOutputHelper output)
{
    private const string Manual = "/usr/share/doc/postgresql-doc-15/html";

    [Fact]
    public async Task Known_items_are_found_by_their_titles_with_mrr_at_10_of_at_least_0_95()
    {
        Assert.True(
            Directory.Exists(Manual),
            $"{Manual} is missing: install the Debian package postgresql-doc-15 (scripts/test.sh does).");
        await using var f = new StoreFixture();
        var imported = await f.Store.ImportAsync(FolderImporter.ReadAsync(Manual, "manual"));
        Assert.True(imported.Created > 1000, $"only {imported.Created} pages imported");

        var pages = new List<Document>();
        for (var page = 1; pages.Count < imported.Created; page++)
        {
            pages.AddRange((await f.Store.ListAsync(new ListQuery { Page = page, PageSize = DocumentQueryBase.MaxPageSize })).Items);
        }

        var byQuery = pages
            .GroupBy(d => TypedTitle(d.Title), StringComparer.OrdinalIgnoreCase)
            .Where(g => g.Count() == 1 && g.Key.Length > 0)
            .ToDictionary(g => g.Key, g => g.Single().Id, StringComparer.OrdinalIgnoreCase);
        Assert.True(byQuery.Count > 900, $"only {byQuery.Count} known items");

        var (mrr, misses) = await MeanReciprocalRankAsync(f.Store, byQuery, SearchMode.Simple);
        // The same queries as plain FTS5 terms (advanced mode: BM25 with column weights, no title-key lookup), for the record.
        var (bm25Only, _) = await MeanReciprocalRankAsync(f.Store, byQuery, SearchMode.Advanced);
        output.WriteLine($"{byQuery.Count} known items: MRR@10 {mrr:F3} (first {byQuery.Count - misses.Count} times); BM25 alone {bm25Only:F3}");
        foreach (var miss in misses.Take(40))
        {
            output.WriteLine(miss);
        }

        Assert.True(mrr >= 0.95, $"MRR@10 {mrr:F3} < 0.95; misses:\n{string.Join('\n', misses.Take(20))}");
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
}
