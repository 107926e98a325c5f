using System.Text;
using DocStore.Search;

namespace DocStore.Sqlite;

/// <summary>
/// Turns a <see cref="SearchQuery"/>'s text into an FTS5 MATCH expression. Simple mode quotes every
/// term (<see cref="SearchTerms"/>), so quotes, operators (AND/OR/NOT/NEAR), column filters and parentheses
/// in user text are plain words; a trailing '*' keeps prefix search.
/// </summary>
internal static class MatchExpression
{
    /// <summary>The FTS5 form of the query: advanced text as written, simple terms each quoted (prefix terms keep their '*').</summary>
    public static string Build(SearchQuery query)
    {
        var terms = SearchTerms.Parse(query);
        if (terms is null)
        {
            return query.Text!;
        }

        var builder = new StringBuilder(query.Text!.Length + 16);
        foreach (var (term, prefix) in terms)
        {
            if (builder.Length > 0)
            {
                builder.Append(' ');
            }

            builder.Append('"').Append(term.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
            if (prefix)
            {
                builder.Append('*');
            }
        }

        return builder.ToString();
    }
}
