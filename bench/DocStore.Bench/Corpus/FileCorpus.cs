using DocStore.Import;

namespace DocStore.Bench.Corpus;

/// <summary>
/// Real text from a folder (e.g. the PostgreSQL manual from Debian's postgresql-doc-15), HTML
/// stripped by <see cref="FolderImporter"/>, replicated with variations up to the requested count:
/// copy k of a page has its paragraphs rotated by k, a numbered title and a variant line, so copies
/// are distinct documents with realistic vocabulary.
/// </summary>
public sealed class FileCorpus
{
    private readonly List<NewDocument> _pages = [];

    private FileCorpus()
    {
    }

    public int PageCount => _pages.Count;

    public IReadOnlyList<string> Types => ["manual"];

    public static async Task<FileCorpus> LoadAsync(string folder)
    {
        var corpus = new FileCorpus();
        await foreach (var page in FolderImporter.ReadAsync(folder, "manual"))
        {
            corpus._pages.Add(page);
        }

        if (corpus._pages.Count == 0)
        {
            throw new InvalidOperationException($"No .html, .htm, .md or .txt files under '{folder}'.");
        }

        return corpus;
    }

    public NewDocument Document(int index)
    {
        var page = _pages[index % _pages.Count];
        var copy = index / _pages.Count;
        var prefix = Path.GetFileNameWithoutExtension(page.SourcePath ?? "page").Split('-', '.')[0].ToLowerInvariant();
        var tags = new List<string> { "postgresql" };
        if (prefix.Length is > 0 and <= 64 && char.IsLetterOrDigit(prefix[0]))
        {
            tags.Add(prefix);
        }

        if (copy == 0)
        {
            return new NewDocument
            {
                Title = page.Title,
                Type = "manual",
                Content = page.Content,
                Format = page.Format,
                SourcePath = page.SourcePath,
                Language = "en",
                Tags = tags,
                Metadata = "{\"source\":\"postgresql-15\",\"variant\":0}",
            };
        }

        var paragraphs = page.Content.Split("\n\n");
        var shift = copy % paragraphs.Length;
        var rotated = paragraphs.Skip(shift).Concat(paragraphs.Take(shift));
        var suffix = $" ({copy + 1})";
        var title = page.Title.Length + suffix.Length > 255 ? page.Title[..(255 - suffix.Length)] : page.Title;
        return new NewDocument
        {
            Title = title + suffix,
            Type = "manual",
            Content = string.Join("\n\n", rotated) + $"\n\nVariant {copy} of {page.SourcePath}.",
            Format = page.Format,
            SourcePath = page.SourcePath,
            Language = "en",
            Tags = tags,
            Metadata = $"{{\"source\":\"postgresql-15\",\"variant\":{copy}}}",
        };
    }
}
