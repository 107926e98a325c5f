namespace DocStore.Import;

/// <summary>
/// An imported file's identity: its full path with every symbolic link on the way resolved, so that the same
/// file reached by two paths is one document, and two files with the same name in different folders are two.
/// .NET has no <c>realpath</c>, so each component is resolved in turn.
/// </summary>
internal static class CanonicalPath
{
    /// <summary>The most links followed for one path (a loop of links ends here instead of running forever).</summary>
    private const int MaxLinks = 40;

    public static string Of(string path)
    {
        var full = Path.GetFullPath(path);
        var root = Path.GetPathRoot(full)!;
        var resolved = root;
        var links = 0;
        var parts = new Queue<string>(full[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries));
        while (parts.TryDequeue(out var part))
        {
            var next = Path.Combine(resolved, part);
            FileSystemInfo info = Directory.Exists(next) ? new DirectoryInfo(next) : new FileInfo(next);
            if (info.LinkTarget is not { } target || ++links > MaxLinks)
            {
                resolved = next;
                continue;
            }

            // The link's target, then what was left of the path, resolved again from the start of the target.
            var targetFull = Path.GetFullPath(target, resolved);
            var rest = parts.ToArray();
            var targetRoot = Path.GetPathRoot(targetFull)!;
            parts = new Queue<string>(targetFull[targetRoot.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries).Concat(rest));
            resolved = targetRoot;
        }

        return resolved;
    }
}
