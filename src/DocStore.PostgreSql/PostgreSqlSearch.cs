using System.Text;
using DocStore.Search;
using DocStore.Sql;

namespace DocStore.PostgreSql;

/// <summary>
/// A search's SQL on PostgreSQL. Simple mode: each term a <c>phraseto_tsquery</c> (a term that is several words, such
/// as "e-mail", keeps their order), a term ending in '*' a prefix query, joined with <c>&amp;&amp;</c>. Advanced mode:
/// <c>websearch_to_tsquery</c> (quoted phrases, <c>or</c>, <c>-word</c>), which never rejects its text. Ranking is
/// <c>ts_rank_cd</c> with title above tags above content, negated so that lower is better as on SQLite; a document
/// whose title is the search text ranks first. The search vector is a generated column (<see cref="PostgreSqlSchema"/>),
/// with one partial index for live documents and one for the trash, so a condition below repeats each index's predicate.
/// </summary>
internal static class PostgreSqlSearch
{
    /// <summary>Weights of D (content), C (unused), B (tags) and A (title): the ratios of SQLite's BM25 weights (1, 5, 30).</summary>
    internal const string Weights = "'{0.0333, 0, 0.1667, 1.0}'";

    /// <summary>Ranks a document whose whole title is the search text above every other hit (it is what was looked for).</summary>
    private const string ExactTitleBoost = "1e6";

    public static QueryText Build(SearchQuery query)
    {
        var args = new List<SqlArgument>();
        var tsquery = Query(query, args);
        var filters = new List<string>
        {
            // The partial index's own predicate, written as it is, so the planner can use that index.
            query.Status == DocumentStatus.Deleted ? "d.status = 3" : "d.status <> 3",
            $"d.search @@ ({tsquery})",
        };
        if (query.Status is { } status && status != DocumentStatus.Deleted)
        {
            filters.Add("d.status = @status");
            args.Add(new("@status", (int)status));
        }

        QuerySql.AppendFilters(filters, query, args, '@');
        var where = string.Join(" AND ", filters);
        var score = $"-ts_rank_cd({Weights}, d.search, ({tsquery}))";
        var ranking = score;
        if (SearchTerms.ExactTitle(query) is { } exact)
        {
            ranking = $"{score} - CASE WHEN d.title_key = @exact THEN {ExactTitleBoost} ELSE 0 END";
            args.Add(new("@exact", exact));
        }

        var page = $"SELECT {DocumentColumns.SelectList}, h.score FROM "
            + $"(SELECT d.id, {score} AS score, {ranking} AS ranking FROM documents d WHERE {where} ORDER BY ranking, d.id LIMIT @take OFFSET @skip) h "
            + $"JOIN documents d ON d.id = h.id {DocumentColumns.ReadsJoin} ORDER BY h.ranking, h.id";
        var count = $"SELECT count(*) FROM documents d WHERE {where}";
        QuerySql.AddPaging(args, query, '@');
        return new QueryText(page, count, args);
    }

    /// <summary>
    /// The FTS5 query the snippets are built with (Sqlite/SnippetWorkspace, the same bounded code as on SQLite): a simple
    /// search's own; for an advanced one, any of its words not excluded with '-' (web search syntax is not FTS5's).
    /// </summary>
    public static string SnippetMatch(SearchQuery query)
    {
        if (query.Mode != SearchMode.Advanced)
        {
            return Sqlite.MatchExpression.Build(query);
        }

        var words = new List<string>();
        foreach (var raw in query.Text!.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
        {
            var word = raw.Trim('"', '(', ')');
            if (word.Length == 0 || raw[0] == '-' || word.Equals("or", StringComparison.OrdinalIgnoreCase) || !word.Any(char.IsLetterOrDigit))
            {
                continue;
            }

            words.Add('"' + word.Replace("\"", "\"\"", StringComparison.Ordinal) + '"');
        }

        // Nothing to highlight still needs a valid query: one that matches no chunk, so the snippet is the text's start.
        return words.Count == 0 ? "\"\"" : string.Join(" OR ", words);
    }

    /// <summary>The tsquery expression of the search text, its terms bound as parameters.</summary>
    private static string Query(SearchQuery query, List<SqlArgument> args)
    {
        var terms = SearchTerms.Parse(query);
        if (terms is null)
        {
            args.Add(new("@q", Words(query.Text!, keepOperators: true)));
            return "websearch_to_tsquery('docstore', @q)";
        }

        var text = new StringBuilder();
        for (var i = 0; i < terms.Count; i++)
        {
            var (term, prefix) = terms[i];
            if (i > 0)
            {
                text.Append(" && ");
            }

            // A prefix term is quoted for to_tsquery (so nothing in it is an operator) and marked ':*'.
            text.Append(prefix ? $"to_tsquery('docstore', quote_literal(@t{i}) || ':*')" : $"phraseto_tsquery('docstore', @t{i})");
            args.Add(new("@t" + i, Words(term, keepOperators: false)));
        }

        return text.ToString();
    }

    /// <summary>
    /// Search text as the search vector reads text: punctuation as spaces (<see cref="PostgreSqlSchema.Punctuation"/>).
    /// Advanced mode keeps its operators: double quotes, and a '-' that starts a word.
    /// </summary>
    internal static string Words(string text, bool keepOperators)
    {
        var words = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            var isOperator = keepOperators && (c == '"' || (c == '-' && (i == 0 || char.IsWhiteSpace(text[i - 1]))));
            words.Append(!isOperator && PostgreSqlSchema.Punctuation.Contains(c, StringComparison.Ordinal) ? ' ' : c);
        }

        return words.ToString();
    }
}
