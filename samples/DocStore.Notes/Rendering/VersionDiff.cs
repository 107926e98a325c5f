using DiffPlex.DiffBuilder;
using DiffPlex.DiffBuilder.Model;

namespace DocStore.Notes.Rendering;

/// <summary>A line diff between two versions of a document (DiffPlex), as the page and the API show it.</summary>
internal static class VersionDiff
{
    /// <summary>One line: its kind (<c>same</c>, <c>added</c>, <c>removed</c>, <c>changed</c>) and text.</summary>
    public sealed record Line(string Kind, string Text);

    /// <summary>The diff and what changed besides the content.</summary>
    public sealed record Result(int From, int To, bool TitleChanged, string FromTitle, string ToTitle, int Added, int Removed, IReadOnlyList<Line> Lines);

    public static Result Between(DocumentVersion older, DocumentVersion newer)
    {
        var model = InlineDiffBuilder.Diff(older.Content, newer.Content, ignoreWhiteSpace: false);
        var lines = model.Lines.Select(l => new Line(Kind(l.Type), l.Text ?? string.Empty)).ToList();
        return new Result(
            older.Version,
            newer.Version,
            !string.Equals(older.Title, newer.Title, StringComparison.Ordinal),
            older.Title,
            newer.Title,
            lines.Count(l => l.Kind == "added"),
            lines.Count(l => l.Kind == "removed"),
            lines);
    }

    private static string Kind(ChangeType type) => type switch
    {
        ChangeType.Inserted => "added",
        ChangeType.Deleted => "removed",
        ChangeType.Modified => "changed",
        _ => "same",
    };
}
