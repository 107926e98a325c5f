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

        await foreach (var document in ReadFilesAsync([folder], type, null, cancellationToken).ConfigureAwait(false))
        {
            yield return document;
        }
    }

    /// <summary>
    /// The source path an imported file gets, which is its identity: its canonical full path (relative to the
    /// current directory when relative, <c>..</c> and symbolic links resolved).
    /// </summary>
    /// <param name="path">A file or folder path.</param>
    /// <returns>The canonical full path.</returns>
    public static string SourcePathOf(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        return CanonicalPath.Of(path);
    }

    /// <summary>Whether files with this extension (".md", ".html", ...) are read.</summary>
    /// <param name="extension">The extension, with its dot.</param>
    /// <returns>True when supported.</returns>
    public static bool IsSupported(string extension) => Formats.ContainsKey(extension);

    /// <summary>
    /// Reads files and folders (folders recursively, in ordinal path order) into documents, as
    /// <see cref="ReadAsync"/> does. A file that cannot be read is told to <paramref name="onFileError"/> and
    /// skipped (or, when it is null, its exception is thrown); a path that does not exist is such an error too.
    /// Each document's source path is its file's canonical full path (symbolic links resolved), which is the
    /// file's identity for <see cref="ImportOptions.MatchExisting"/>: files with the same name in different
    /// folders are different documents, and an import run again updates the files that changed.
    /// </summary>
    /// <param name="paths">Folders and files.</param>
    /// <param name="type">The type slug every document gets.</param>
    /// <param name="onFileError">Told about each file that could not be read; null to throw.</param>
    /// <param name="cancellationToken">Cancels between files.</param>
    /// <returns>The documents, lazily, one per non-empty supported file.</returns>
    public static async IAsyncEnumerable<NewDocument> ReadFilesAsync(IEnumerable<string> paths, string type = "imported", Action<string, Exception>? onFileError = null, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(paths);
        foreach (var path in paths)
        {
            IEnumerable<string> files;
            if (Directory.Exists(path))
            {
                files = Walk(path, onFileError);
            }
            else if (File.Exists(path))
            {
                files = [path];
            }
            else
            {
                var missing = new FileNotFoundException($"'{path}' does not exist.", path);
                if (onFileError is null)
                {
                    throw missing;
                }

                onFileError(path, missing);
                continue;
            }

            foreach (var file in files)
            {
                cancellationToken.ThrowIfCancellationRequested();
                NewDocument? document;
                try
                {
                    var text = await File.ReadAllTextAsync(file, cancellationToken).ConfigureAwait(false);
                    document = FromText(text, Path.GetExtension(file), SourcePathOf(file), type);
                }
                catch (Exception e) when (onFileError is not null && e is IOException or UnauthorizedAccessException)
                {
                    // An unreadable file: reported, and the import goes on with the next one.
                    onFileError(file, e);
                    continue;
                }

                if (document is not null)
                {
                    yield return document;
                }
            }
        }
    }

    /// <summary>
    /// The supported files under <paramref name="folder"/>, depth first, each folder's files and subfolders in
    /// ordinal order. Listed one folder at a time (memory bounded by the largest folder, not the tree); a
    /// folder that cannot be listed is reported and skipped.
    /// </summary>
    private static IEnumerable<string> Walk(string folder, Action<string, Exception>? onFileError)
    {
        var pending = new Stack<string>();
        pending.Push(folder);
        while (pending.TryPop(out var current))
        {
            string[] files;
            string[] folders;
            try
            {
                files = Directory.GetFiles(current);
                folders = Directory.GetDirectories(current);
            }
            catch (Exception e) when (onFileError is not null && e is IOException or UnauthorizedAccessException)
            {
                onFileError(current, e);
                continue;
            }

            Array.Sort(files, StringComparer.Ordinal);
            foreach (var file in files)
            {
                if (IsSupported(Path.GetExtension(file)))
                {
                    yield return file;
                }
            }

            Array.Sort(folders, StringComparer.Ordinal);
            for (var i = folders.Length - 1; i >= 0; i--)
            {
                pending.Push(folders[i]);
            }
        }
    }

    /// <summary>
    /// One file's text as a document: HTML becomes plain text titled by its &lt;title&gt;; other text keeps
    /// its format and is titled by its first line (without Markdown's #), else by the file name.
    /// </summary>
    /// <param name="text">The file's text.</param>
    /// <param name="extension">Its extension, with the dot; an unsupported one is read as plain text.</param>
    /// <param name="sourcePath">Where it came from, stored as the document's source path.</param>
    /// <param name="type">The type slug.</param>
    /// <returns>The document, or null when the text is empty.</returns>
    public static NewDocument? FromText(string text, string extension, string sourcePath, string type)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(sourcePath);
        var format = Formats.GetValueOrDefault(extension, "plain");
        string content;
        string? title;
        if (format == "html")
        {
            content = HtmlText.ToPlainText(text);
            title = HtmlText.Title(text);
            format = "plain";
        }
        else
        {
            content = text.Replace("\0", string.Empty, StringComparison.Ordinal);
            title = content.Split('\n', 2)[0].TrimStart('#', ' ').Trim();
        }

        if (string.IsNullOrWhiteSpace(content))
        {
            return null;
        }

        title = string.IsNullOrWhiteSpace(title) ? Path.GetFileNameWithoutExtension(sourcePath) : title;
        return new NewDocument
        {
            Title = title.Length > 255 ? title[..255] : title,
            Type = type,
            Content = content,
            Format = format,
            SourcePath = sourcePath,
        };
    }
}
