using DocStore.Sqlite;
using Microsoft.Data.Sqlite;

namespace DocStore.Tests;

/// <summary>
/// The snippet workspace (both engines' searches build their snippets in it) under cancellation: a cancel that lands
/// inside one of its statements ends the call with <see cref="OperationCanceledException"/>, never a raw SQLite error
/// (on PostgreSQL nobody else translates SQLite's errors), and the workspace serves the next search.
/// </summary>
public sealed class SnippetWorkspaceTest
{
    private static Document Hit(long id, string content) => new()
    {
        Id = id,
        Uuid = Guid.CreateVersion7(),
        Version = 1,
        CreatedAt = DateTimeOffset.UnixEpoch,
        UpdatedAt = DateTimeOffset.UnixEpoch,
        Title = "hit " + id,
        Type = "note",
        Status = DocumentStatus.Active,
        Content = content,
        Format = "plain",
        Tags = [],
        Metadata = "{}",
        ContentHash = new string('0', 64),
        SizeBytes = content.Length,
    };

    [Fact]
    public void A_cancel_inside_a_statement_is_a_cancellation_and_the_workspace_still_works()
    {
        // Long hits whose only match is at the end: every chunk before it is indexed first, statement after statement.
        var filler = string.Join(' ', Enumerable.Range(0, 60_000).Select(i => "filler" + (i % 500)));
        var hits = Enumerable.Range(1, 20).Select(i => Hit(i, filler + " needle")).ToList();
        using var workspace = new SnippetWorkspace();
        var interrupted = 0;
        for (var attempt = 0; attempt < 40; attempt++)
        {
            using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(1 + attempt % 20));
            try
            {
                workspace.Build(hits, "\"needle\"", "[", "]", cancel.Token);
            }
            catch (OperationCanceledException e)
            {
                if (e.InnerException is SqliteException)
                {
                    interrupted++;
                }
            }

            var snippets = workspace.Build(hits.Take(2).ToList(), "\"needle\"", "[", "]", CancellationToken.None);
            Assert.All(snippets, s => Assert.Contains("[needle]", s, StringComparison.Ordinal));
        }

        // The cancels must have landed inside statements, or the test proved nothing.
        Assert.True(interrupted > 0, "no cancel landed inside a statement");
    }

    [Fact]
    public void Builds_cancelled_at_random_moments_fail_only_as_cancelled_and_never_leave_the_workspace_unusable()
    {
        // Builds of about a millisecond (several chunks a hit), cancelled anywhere from before the first statement to after the last.
        var words = string.Join(' ', Enumerable.Range(0, 1_500).Select(i => "filler" + (i % 200)));
        var hits = Enumerable.Range(1, 10).Select(i => Hit(i, words + " alpha word" + i)).ToList();
        using var workspace = new SnippetWorkspace();
        var random = new Random(1);
        var failures = new List<string>();
        for (var i = 0; i < 3_000 && failures.Count < 3; i++)
        {
            using var cancel = new CancellationTokenSource(TimeSpan.FromMicroseconds(random.Next(0, 3_000)));
            try
            {
                workspace.Build(hits, "\"alpha\"", "[", "]", cancel.Token);
            }
            catch (OperationCanceledException)
            {
            }
            catch (Exception e)
            {
                failures.Add($"build {i}, token cancelled: {cancel.IsCancellationRequested}: {e.GetType().Name}: {e.Message} ({e.InnerException?.Message})");
            }
        }

        Assert.Empty(failures);
    }
}
