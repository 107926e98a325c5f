using DocStore.Internal;
using Microsoft.Data.Sqlite;

namespace DocStore.Sqlite;

/// <summary>
/// Builds the snippets of a page of search hits with bounded work, in a private in-memory FTS5 table with
/// the store's tokenizer. FTS5's <c>snippet()</c> on the store's own index scores every match against every
/// other one, and <c>highlight()</c> rebuilds its output string on every match: both grow with the square
/// of a term's occurrences in a document (a 10 MiB document took minutes). Here each hit's content is cut
/// into chunks of at most <see cref="ChunkChars"/> characters, indexed a few at a time until the query
/// matches, and <c>snippet()</c> runs on the best chunk only: its cost is bounded by the chunk, and the
/// whole call by the size of the hits' text. Both read paths use this, so their snippets are identical.
/// Used by one thread at a time.
/// </summary>
internal sealed class SnippetWorkspace : IDisposable
{
    /// <summary>The longest chunk indexed, in characters (cut at a space when there is one).</summary>
    public const int ChunkChars = 1000;

    private Session _session = new();

    /// <summary>The snippet of each hit, in order.</summary>
    /// <param name="hits">The page's documents.</param>
    /// <param name="match">The FTS5 MATCH expression the search ran.</param>
    /// <param name="highlightStart">Marker before a match.</param>
    /// <param name="highlightEnd">Marker after a match.</param>
    /// <param name="cancellationToken">Interrupts the work.</param>
    /// <returns>One snippet per hit.</returns>
    public string[] Build(IReadOnlyList<Document> hits, string match, string highlightStart, string highlightEnd, CancellationToken cancellationToken)
    {
        try
        {
            return _session.Build(hits, match, highlightStart, highlightEnd, cancellationToken);
        }
        catch
        {
            // After an interrupt the connection was seen refusing later searches with 'interrupted' (SQLite keeps its
            // interrupt flag while any statement is active, and FTS5 keeps statements of its own, out of this code's
            // reach). The next search gets a new connection; the interrupt's registration ended with the session's
            // Build, so none reaches it.
            _session.Dispose();
            _session = new Session();
            throw;
        }
    }

    public void Dispose() => _session.Dispose();

    /// <summary>One in-memory connection with the chunk tables and the prepared commands.</summary>
    private sealed class Session : IDisposable
    {
        /// <summary>How many chunks of a hit are indexed per round before the query is tried.</summary>
        private const int ChunksPerRound = 64;

        private const int ChunkBits = 24;

        private readonly SqliteConnection _connection;
        private readonly SqliteCommand _begin;
        private readonly SqliteCommand _commit;
        private readonly SqliteCommand _rollback;
        private readonly SqliteCommand _clear;
        private readonly SqliteCommand _insert;
        private readonly SqliteParameter _id;
        private readonly SqliteParameter _title;
        private readonly SqliteParameter _content;
        private readonly SqliteParameter _tags;
        private readonly SqliteCommand _query;
        private readonly SqliteParameter _match;
        private readonly SqliteParameter _start;
        private readonly SqliteParameter _end;

        public Session()
        {
            _connection = new SqliteConnection("Data Source=:memory:");
            _connection.Open();
            Db.Execute(_connection, """
                CREATE TABLE chunk (id INTEGER PRIMARY KEY, title TEXT, content TEXT, tags TEXT);
                CREATE VIRTUAL TABLE chunk_fts USING fts5(title, content, tags, content='chunk', content_rowid='id',
                    tokenize='porter unicode61 remove_diacritics 2');
                """);
            _begin = Command("BEGIN");
            _commit = Command("COMMIT");
            _rollback = Command("ROLLBACK");
            _clear = Command("DELETE FROM chunk; INSERT INTO chunk_fts(chunk_fts) VALUES ('delete-all');");
            _insert = Command("INSERT INTO chunk (id, title, content, tags) VALUES ($id, $title, $content, $tags); "
                + "INSERT INTO chunk_fts (rowid, title, content, tags) VALUES ($id, $title, $content, $tags);");
            _id = _insert.Parameters.Add("$id", SqliteType.Integer);
            _title = _insert.Parameters.Add("$title", SqliteType.Text);
            _content = _insert.Parameters.Add("$content", SqliteType.Text);
            _tags = _insert.Parameters.Add("$tags", SqliteType.Text);
            _query = Command("SELECT rowid, snippet(chunk_fts, -1, $hs, $he, '…', 16) FROM chunk_fts WHERE chunk_fts MATCH $match ORDER BY rank");
            _match = _query.Parameters.Add("$match", SqliteType.Text);
            _start = _query.Parameters.Add("$hs", SqliteType.Text);
            _end = _query.Parameters.Add("$he", SqliteType.Text);
        }

        /// <summary>See <see cref="SnippetWorkspace.Build"/>.</summary>
        public string[] Build(IReadOnlyList<Document> hits, string match, string highlightStart, string highlightEnd, CancellationToken cancellationToken)
        {
            var snippets = new string?[hits.Count];
            var chunks = new IEnumerator<string>?[hits.Count];
            var tags = new string[hits.Count];
            for (var i = 0; i < hits.Count; i++)
            {
                chunks[i] = Chunks(hits[i].Content).GetEnumerator();
                tags[i] = string.Join(' ', hits[i].Tags);
            }

            _match.Value = match;
            _start.Value = highlightStart;
            _end.Value = highlightEnd;
            using var interrupt = Interrupt.OnCancel(_connection, cancellationToken);
            try
            {
                while (Array.Exists(chunks, c => c is not null))
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    Round(hits, chunks, tags, snippets);
                }
            }
            catch (SqliteException e)
            {
                // Translated here: on PostgreSQL the caller translates only its engine's errors.
                throw SqliteErrors.Translate(e, "The search", cancellationToken);
            }
            finally
            {
                foreach (var chunk in chunks)
                {
                    chunk?.Dispose();
                }
            }

            for (var i = 0; i < hits.Count; i++)
            {
                // No chunk matched (e.g. a phrase cut by a chunk boundary): the start of the content, unmarked.
                snippets[i] ??= Leading(hits[i].Content);
            }

            return snippets!;
        }

        public void Dispose() => _connection.Dispose();

        /// <summary>Indexes the next chunks of every hit still without a snippet, then takes each hit's best-ranked chunk.</summary>
        private void Round(IReadOnlyList<Document> hits, IEnumerator<string>?[] chunks, string[] tags, string?[] snippets)
        {
            _begin.ExecuteNonQuery();
            try
            {
                _clear.ExecuteNonQuery();
                for (var i = 0; i < hits.Count; i++)
                {
                    var chunk = chunks[i];
                    if (chunk is null)
                    {
                        continue;
                    }

                    var more = true;
                    for (var n = 0; n < ChunksPerRound && (more = chunk.MoveNext()); n++)
                    {
                        _id.Value = ((long)i << ChunkBits) | (uint)n;
                        _title.Value = hits[i].Title;
                        _content.Value = chunk.Current;
                        _tags.Value = tags[i];
                        _insert.ExecuteNonQuery();
                    }

                    if (!more)
                    {
                        chunk.Dispose();
                        chunks[i] = null;
                    }
                }

                using (var reader = _query.ExecuteReader())
                {
                    while (reader.Read())
                    {
                        var hit = (int)(reader.GetInt64(0) >> ChunkBits);
                        if (snippets[hit] is null)
                        {
                            snippets[hit] = reader.GetString(1);
                            chunks[hit]?.Dispose();
                            chunks[hit] = null;
                        }
                    }
                }

                _commit.ExecuteNonQuery();
            }
            catch
            {
                if (SQLitePCL.raw.sqlite3_get_autocommit(_connection.Handle) == 0)
                {
                    _rollback.ExecuteNonQuery();
                }

                throw;
            }
        }

        /// <summary>The content in chunks of at most <see cref="ChunkChars"/> characters, cut after a space when possible; one chunk for short content.</summary>
        private static IEnumerable<string> Chunks(string content)
        {
            if (content.Length <= ChunkChars)
            {
                yield return content;
                yield break;
            }

            var start = 0;
            while (start < content.Length)
            {
                var end = Math.Min(content.Length, start + ChunkChars);
                if (end < content.Length)
                {
                    var space = content.LastIndexOf(' ', end - 1, end - start);
                    if (space > start)
                    {
                        end = space + 1;
                    }
                    else if (char.IsHighSurrogate(content[end - 1]))
                    {
                        end--;
                    }
                }

                yield return content[start..end];
                start = end;
            }
        }

        private static string Leading(string content)
        {
            var words = content.Split((char[]?)null, 17, StringSplitOptions.RemoveEmptyEntries);
            return words.Length > 16 ? string.Join(' ', words.Take(16)) + "…" : string.Join(' ', words);
        }

        private SqliteCommand Command(string sql)
        {
            var command = _connection.CreateCommand();
            command.CommandText = sql;
            return command;
        }
    }
}
