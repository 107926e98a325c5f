using DocStore.Sql;
using DocStore.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace DocStore.Tests;

/// <summary>
/// Every index earns its place: each listing order and filter that needs one reads it (SQLite's own
/// <c>EXPLAIN QUERY PLAN</c> on a real store's file), and the schema has no index that none of them reads.
/// </summary>
public sealed class QueryPlanTest
{
    /// <summary>The store's listing and the index SQLite must read for it (a WITHOUT ROWID table's primary key is the table itself).</summary>
    public static TheoryData<string, string> Listings() => new()
    {
        { "newest first", "ix_documents_updated" },
        { "newest first, by type", "ix_documents_type_updated" },
        { "newest first, one status", "ix_documents_status_updated" },
        { "oldest created first", "ix_documents_created" },
        { "created since, count", "ix_documents_created" },
        { "updated since, count", "ix_documents_updated" },
        { "by title", "ix_documents_title" },
        { "most read first", "ix_document_reads_count" },
        { "with a tag", "document_tags USING PRIMARY KEY (tag=?)" },
    };

    [Theory]
    [MemberData(nameof(Listings))]
    public async Task A_listing_reads_its_index(string listing, string index)
    {
        await using var f = await FilledStoreAsync();
        var query = listing switch
        {
            "newest first" => new ListQuery(),
            "newest first, by type" => new ListQuery { Type = "guide" },
            "newest first, one status" => new ListQuery { Status = DocumentStatus.Draft },
            "oldest created first" => new ListQuery { OrderBy = DocumentOrder.CreatedAt, Descending = false },
            "created since, count" => new ListQuery { CreatedFrom = DateTimeOffset.UtcNow.AddDays(-1) },
            "updated since, count" => new ListQuery { UpdatedFrom = DateTimeOffset.UtcNow.AddDays(-1) },
            "by title" => new ListQuery { OrderBy = DocumentOrder.Title, Descending = false },
            "most read first" => new ListQuery { OrderBy = DocumentOrder.AccessCount },
            "with a tag" => new ListQuery { Tags = ["t3"] },
            _ => throw new ArgumentOutOfRangeException(nameof(listing)),
        };
        var text = QuerySql.List(query);

        // A time range is a count ("how many since t"); the others are read as a page, and their total counted too.
        var sql = listing.EndsWith(", count", StringComparison.Ordinal) ? text.CountSql : text.PageSql;
        var plan = Plan(f.Path, sql, text.Arguments);
        Assert.True(plan.Contains(index.StartsWith("ix_", StringComparison.Ordinal) ? " INDEX " + index : index, StringComparison.Ordinal), $"{listing}: expected {index} in the plan:\n{plan}");

        // No listing reads every row, nor sorts its documents for a page, not even those that tie on time ("RIGHT PART OF
        // ORDER BY": an import's documents share their time); a tag's documents are found by the tag and sorted.
        Assert.DoesNotContain("SCAN d\n", plan + "\n", StringComparison.Ordinal);
        if (listing != "with a tag")
        {
            Assert.DoesNotContain("TEMP B-TREE", plan, StringComparison.Ordinal);
        }

        // A count reads an index alone.
        if (sql == text.CountSql)
        {
            Assert.Contains("USING COVERING INDEX", plan, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_listing_total_by_type_and_status_reads_the_kept_counts_and_any_other_an_index_alone()
    {
        await using var f = await FilledStoreAsync();
        foreach (var query in new[] { new ListQuery(), new ListQuery { Type = "guide" }, new ListQuery { Status = DocumentStatus.Draft }, new ListQuery { Type = "guide", Status = DocumentStatus.Draft } })
        {
            var text = QuerySql.List(query);
            Assert.Contains("FROM document_counts d", text.CountSql, StringComparison.Ordinal);
            var plan = Plan(f.Path, text.CountSql, text.Arguments);
            Assert.Contains(query.Type is null ? "SCAN d" : "SEARCH d USING PRIMARY KEY (type=?", plan, StringComparison.Ordinal);
        }

        foreach (var query in new[] { new ListQuery { Type = "guide", UpdatedFrom = DateTimeOffset.UtcNow.AddDays(-1) }, new ListQuery { CreatedFrom = DateTimeOffset.UtcNow.AddDays(-1) } })
        {
            var text = QuerySql.List(query);
            Assert.Contains("FROM documents d", text.CountSql, StringComparison.Ordinal);
            var plan = Plan(f.Path, text.CountSql, text.Arguments);
            Assert.True(plan.Contains("USING COVERING INDEX", StringComparison.Ordinal), plan);
        }
    }

    /// <summary>Lookups other than listings, with the index each needs.</summary>
    public static TheoryData<string, string> Lookups() => new()
    {
        // The fast path's read by UUID (PooledReader) and the EF path's.
        { "SELECT id FROM documents d WHERE d.uuid = $p AND d.status <> 3", "sqlite_autoindex_documents_1" },
        // A search whose text is a title ranks that document first (QuerySql.Search).
        { "SELECT t.id FROM documents t WHERE t.title_key = $p", "ix_documents_title_key" },
        // An import run again finds what it stored by source path, or by content (DocumentWriter).
        { "SELECT id FROM documents d WHERE d.source_path = $p AND d.status <> 3 ORDER BY d.id LIMIT 1", "ix_documents_source_path" },
        { "SELECT id FROM documents d WHERE d.content_hash = $p AND d.status <> 3 ORDER BY d.id LIMIT 1", "ix_documents_content_hash" },
        // A document's history and audit trail, and its tag rows (replaced on every update that sets tags).
        { "SELECT version FROM document_versions WHERE document_id = $p ORDER BY version", "sqlite_autoindex_document_versions_1" },
        { "SELECT id FROM audit_log WHERE document_id = $p ORDER BY id", "ix_audit_log_document" },
        { "SELECT tag FROM document_tags WHERE document_id = $p", "ix_document_tags_document" },
    };

    [Theory]
    [MemberData(nameof(Lookups))]
    public async Task A_lookup_reads_its_index(string sql, string index)
    {
        await using var f = await FilledStoreAsync();
        var plan = Plan(f.Path, sql, [new("$p", "x")]);
        Assert.True(plan.Contains(" INDEX " + index, StringComparison.Ordinal), $"expected {index} in the plan:\n{plan}");
    }

    [Fact]
    public async Task Every_index_of_the_schema_is_one_a_query_above_reads()
    {
        await using var f = await FilledStoreAsync();
        var read = Listings().Select(row => row.Data.Item2).Concat(Lookups().Select(row => row.Data.Item2)).Where(name => !name.Contains(' ', StringComparison.Ordinal)).ToHashSet(StringComparer.Ordinal);
        var indexes = new List<string>();
        using (var connection = new SqliteConnection($"Data Source={f.Path};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            // Primary keys of WITHOUT ROWID tables are the table itself, not an index.
            command.CommandText = "SELECT name FROM sqlite_master WHERE type = 'index' AND name NOT LIKE '%_fts_%' AND name NOT LIKE 'sqlite_autoindex_document_reads%' ORDER BY name";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                indexes.Add(reader.GetString(0));
            }
        }

        var unread = indexes.Where(name => !read.Contains(name)).ToList();
        Assert.True(unread.Count == 0, "indexes no query reads: " + string.Join(", ", unread));
    }

    private static async Task<StoreFixture> FilledStoreAsync()
    {
        var f = new StoreFixture();
        await f.Store.CreateManyAsync(Enumerable.Range(0, 200).Select(i => new NewDocument
        {
            Title = "doc " + i,
            Type = i % 3 == 0 ? "guide" : "note",
            Content = "text " + i,
            Tags = ["t" + (i % 7)],
            Status = i % 5 == 0 ? DocumentStatus.Draft : DocumentStatus.Active,
            SourcePath = $"docs/{i}.md",
        }));
        return f;
    }

    private static string Plan(string path, string sql, IReadOnlyList<SqlArgument> arguments)
    {
        using var connection = new SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "EXPLAIN QUERY PLAN " + sql;
        foreach (var argument in arguments)
        {
            command.Parameters.AddWithValue(argument.Name, argument.Value);
        }

        using var reader = command.ExecuteReader();
        var lines = new List<string>();
        while (reader.Read())
        {
            lines.Add(reader.GetString(3));
        }

        return string.Join('\n', lines);
    }
}
