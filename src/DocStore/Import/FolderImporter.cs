namespace DocStore.Import;

/// <summary>Reads a folder of text files (HTML, Markdown, plain text) into <see cref="NewDocument"/>s, HTML tags stripped.</summary>
public static class FolderImporter
{
    private static readonly Dictionary<string, string> Formats = new(StringComparer.OrdinalIgnoreCase)
    {
        [".html"] = "html",
        [".htm"] = "html",
        [".md"] = "markdown",
        [".markdown"] = "markdown",
        [".txt"] = "plain",
        [".rst"] = "rst",
    };

    /// <summary>
    /// Reads every supported file under <paramref name="folder"/> (recursively, in ordinal path order).
    /// HTML becomes plain text (format <c>plain</c>) titled by its &lt;title&gt;; other files keep their
    /// text and are titled by their first line. Empty files are skipped.
    /// </summary>
    /// <param name="folder">The folder to read.</param>
    /// <param name="type">The type slug every document gets.</param>
    /// <param name="cancellationToken">Cancels between files.</param>
    /// <returns>The documents, lazily, one per file.</returns>
    public static async IAsyncEnumerable<NewDocument> ReadAsync(string folder, string type = "imported", [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        if (!Directory.Exists(folder))
        {
            throw new DirectoryNotFoundException($"The folder '{folder}' does not exist.");
        }

        var files = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Where(f => Formats.ContainsKey(Path.GetExtension(f)))
            .Order(StringComparer.Ordinal);
        foreach (var file in files)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var raw = await File.ReadAllTextAsync(file, cancellationToken).ConfigureAwait(false);
            var format = Formats[Path.GetExtension(file)];
            string content;
            string? title;
            if (format == "html")
            {
                content = HtmlText.ToPlainText(raw);
                title = HtmlText.Title(raw);
                format = "plain";
            }
            else
            {
                content = raw.Replace("\0", string.Empty, StringComparison.Ordinal);
                title = content.Split('\n', 2)[0].TrimStart('#', ' ').Trim();
            }

            if (string.IsNullOrWhiteSpace(content))
            {
                continue;
            }

            title = string.IsNullOrWhiteSpace(title) ? Path.GetFileNameWithoutExtension(file) : title;
            yield return new NewDocument
            {
                Title = title.Length > 255 ? title[..255] : title,
                Type = type,
                Content = content,
                Format = format,
                SourcePath = Path.GetRelativePath(folder, file),
            };
        }
    }
}
