using DocStore.Tests.Infrastructure;

namespace DocStore.Tests;

/// <summary>List filters, orders and paging totals checked against a brute-force evaluation over every document.</summary>
public sealed class ListTest
{
    /// <summary>SQLite's NOCASE: ASCII letters folded, everything else compared as is.</summary>
    internal static readonly StringComparer NoCase = new AsciiNoCase();

    private static string FoldAscii(string s) => string.Create(s.Length, s, (span, src) =>
    {
        for (var i = 0; i < src.Length; i++)
        {
            span[i] = src[i] is >= 'a' and <= 'z' ? (char)(src[i] - 32) : src[i];
        }
    });

    private sealed class AsciiNoCase : StringComparer
    {
        public override int Compare(string? x, string? y) => string.CompareOrdinal(FoldAscii(x!), FoldAscii(y!));

        public override bool Equals(string? x, string? y) => Compare(x, y) == 0;

        public override int GetHashCode(string obj) => FoldAscii(obj).GetHashCode(StringComparison.Ordinal);
    }

    internal static async Task<List<Document>> SeedAsync(IDocumentStore store, int count, int seed)
    {
        var random = new Random(seed);
        var docs = new List<Document>();
        for (var batch = 0; batch < count / 50; batch++)
        {
            docs.AddRange(await store.CreateManyAsync(Enumerable.Range(0, 50).Select(_ => Docs.Random(random))));
        }

        // Some updates and deletes so created/updated orders differ and deleted rows exist.
        foreach (var doc in docs.Where((_, i) => i % 7 == 0).ToList())
        {
            var updated = await store.UpdateAsync(doc.Id, new DocumentUpdate { Title = doc.Title + " v2", Tags = Docs.TagPool.Where(_ => random.Next(2) == 0) });
            docs[docs.IndexOf(doc)] = updated;
        }

        foreach (var doc in docs.Where((_, i) => i % 11 == 0).ToList())
        {
            await store.DeleteAsync(doc.Id);
        }

        return docs;
    }

    internal static ListQuery RandomQuery(Random random, IReadOnlyList<Document> docs)
    {
        var times = docs.Select(d => d.CreatedAt).Order().ToList();
        var order = (DocumentOrder)random.Next(5);
        var keyset = order == DocumentOrder.Id && random.Next(2) == 0;
        return new ListQuery
        {
            AfterId = keyset ? docs[random.Next(docs.Count)].Id : null,
            Type = random.Next(3) == 0 ? Docs.Types[random.Next(Docs.Types.Length)] : null,
            Status = random.Next(4) switch { 0 => (DocumentStatus)random.Next(4), _ => null },
            Tags = random.Next(3) == 0 ? Docs.TagPool.Where(_ => random.Next(4) == 0).Take(2).ToArray() : null,
            Metadata = random.Next(4) switch
            {
                0 => [MetadataFilter.Equal("team", random.Next(2) == 0 ? "core" : "docs")],
                1 => [MetadataFilter.Equal("priority", (long)random.Next(3)), MetadataFilter.Equal("public", random.Next(2) == 0)],
                _ => null,
            },
            CreatedFrom = random.Next(4) == 0 ? times[random.Next(times.Count)] : null,
            UpdatedTo = random.Next(4) == 0 ? times[random.Next(times.Count)].AddTicks(1) : null,
            OrderBy = order,
            Descending = random.Next(2) == 0,
            Page = keyset ? 1 : random.Next(1, 4),
            PageSize = random.Next(1, 40),
        };
    }

    internal static (List<Document> Page, int Total) BruteForce(IEnumerable<Document> all, ListQuery q)
    {
        var docs = all.Where(d => q.Status is { } s ? d.Status == s : d.Status != DocumentStatus.Deleted)
            .Where(d => q.Type is null || d.Type == q.Type)
            .Where(d => q.Tags is null || q.Tags.All(t => d.Tags.Contains(t)))
            .Where(d => q.Metadata is null || q.Metadata.All(m => MetadataMatches(d.Metadata, m)))
            .Where(d => q.CreatedFrom is null || d.CreatedAt >= q.CreatedFrom)
            .Where(d => q.UpdatedTo is null || d.UpdatedAt < q.UpdatedTo)
            .Where(d => q.AfterId is not { } after || (q.Descending ? d.Id < after : d.Id > after))
            .ToList();
        IOrderedEnumerable<Document> ordered = (q.OrderBy, q.Descending) switch
        {
            (DocumentOrder.CreatedAt, false) => docs.OrderBy(d => d.CreatedAt).ThenBy(d => d.Id),
            (DocumentOrder.CreatedAt, true) => docs.OrderByDescending(d => d.CreatedAt).ThenByDescending(d => d.Id),
            (DocumentOrder.Title, false) => docs.OrderBy(d => d.Title, NoCase).ThenBy(d => d.Id),
            (DocumentOrder.Title, true) => docs.OrderByDescending(d => d.Title, NoCase).ThenByDescending(d => d.Id),
            (DocumentOrder.AccessCount, false) => docs.OrderBy(d => d.AccessCount).ThenBy(d => d.Id),
            (DocumentOrder.AccessCount, true) => docs.OrderByDescending(d => d.AccessCount).ThenByDescending(d => d.Id),
            (DocumentOrder.Id, false) => docs.OrderBy(d => d.Id),
            (DocumentOrder.Id, true) => docs.OrderByDescending(d => d.Id),
            (_, false) => docs.OrderBy(d => d.UpdatedAt).ThenBy(d => d.Id),
            (_, true) => docs.OrderByDescending(d => d.UpdatedAt).ThenByDescending(d => d.Id),
        };
        return (ordered.Skip((q.Page - 1) * q.PageSize).Take(q.PageSize).ToList(), docs.Count);
    }

    private static bool MetadataMatches(string json, MetadataFilter filter)
    {
        using var doc = System.Text.Json.JsonDocument.Parse(json);
        using var value = System.Text.Json.JsonDocument.Parse(filter.JsonValue);
        if (!doc.RootElement.TryGetProperty(filter.Key, out var actual))
        {
            return false;
        }

        static string Norm(System.Text.Json.JsonElement e) => e.ValueKind switch
        {
            System.Text.Json.JsonValueKind.True => "1",
            System.Text.Json.JsonValueKind.False => "0",
            _ => e.GetRawText(),
        };

        return Norm(actual) == Norm(value.RootElement);
    }

    [Fact]
    public async Task Random_filters_orders_and_pages_match_a_brute_force_evaluation()
    {
        await using var f = new StoreFixture();
        var docs = await SeedAsync(f.Store, 300, seed: 42);
        var all = await AllIncludingDeletedAsync(f.Store, docs);
        var random = new Random(7);
        for (var i = 0; i < 150; i++)
        {
            var q = RandomQuery(random, all);
            var (expected, total) = BruteForce(all, q);
            var actual = await f.Store.ListAsync(q);
            Assert.Equal(total, actual.TotalCount);
            Assert.Equal(expected.Select(d => d.Id), actual.Items.Select(d => d.Id));
            Assert.Equal(expected, actual.Items);
        }
    }

    [Fact]
    public async Task Paging_walks_every_match_exactly_once()
    {
        await using var f = new StoreFixture();
        await SeedAsync(f.Store, 100, seed: 3);
        var seen = new List<long>();
        var first = await f.Store.ListAsync(new ListQuery { OrderBy = DocumentOrder.Title, PageSize = 7 });
        for (var page = 1; page <= first.PageCount; page++)
        {
            seen.AddRange((await f.Store.ListAsync(new ListQuery { OrderBy = DocumentOrder.Title, PageSize = 7, Page = page })).Items.Select(d => d.Id));
        }

        Assert.Equal(first.TotalCount, seen.Count);
        Assert.Equal(seen.Count, seen.Distinct().Count());
    }

    [Theory]
    [InlineData(0, 20)]
    [InlineData(1, 0)]
    [InlineData(1, 1001)]
    [InlineData(-1, 20)]
    [InlineData(int.MaxValue, 1000)]
    public async Task Out_of_range_paging_throws_argument_exceptions(int page, int pageSize)
    {
        await using var f = new StoreFixture();
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => f.Store.ListAsync(new ListQuery { Page = page, PageSize = pageSize }));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => f.Store.SearchAsync(new SearchQuery { Text = "x", Page = page, PageSize = pageSize }));
    }

    [Fact]
    public void Metadata_filter_keys_are_allow_listed()
    {
        Assert.Throws<ArgumentException>(() => MetadataFilter.Equal("a'); DROP", "x"));
        Assert.Throws<ArgumentException>(() => MetadataFilter.Equal("", "x"));
        Assert.Throws<ArgumentOutOfRangeException>(() => MetadataFilter.Equal("k", double.NaN));
        Assert.Equal("$.\"ok_key-1\"", MetadataFilter.Equal("ok_key-1", 1L).JsonPath);
    }

    /// <summary>Reads every seeded document back as stored (deleted ones through the Deleted status filter).</summary>
    internal static async Task<List<Document>> AllIncludingDeletedAsync(IDocumentStore store, IEnumerable<Document> seeded)
    {
        var live = await store.GetManyAsync(seeded.Select(d => d.Id));
        var deleted = await store.ListAsync(new ListQuery { Status = DocumentStatus.Deleted, PageSize = 1000 });
        return [.. live, .. deleted.Items];
    }
}
