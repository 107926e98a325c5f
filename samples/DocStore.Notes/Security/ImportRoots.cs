using DocStore.Import;
using Microsoft.Extensions.Options;

namespace DocStore.Notes.Security;

/// <summary>
/// Where a folder import may read on the server (<see cref="NotesOptions.ImportRoots"/>): the folder asked for
/// and every file found in it must lie below a root once both are canonical (<c>..</c> and links resolved), so
/// neither a relative path nor a link inside a root reaches anything outside. No roots: folder import is off.
/// </summary>
internal sealed class ImportRoots(IOptions<NotesOptions> options)
{
    private readonly List<string> _roots = options.Value.ImportRoots
        .Where(r => !string.IsNullOrWhiteSpace(r))
        .Select(r => FolderImporter.SourcePathOf(r).TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar)
        .ToList();

    /// <summary>The canonical folder to import, or an exception that says why it may not be read.</summary>
    public string Check(string folder)
    {
        if (_roots.Count == 0)
        {
            throw new ImportRefusedException("Folder import is off. Set Notes:ImportRoots to the folders the server may import from.");
        }

        if (string.IsNullOrWhiteSpace(folder))
        {
            throw new ArgumentException("The folder path is required.");
        }

        var canonical = FolderImporter.SourcePathOf(folder);
        if (!Contains(canonical))
        {
            throw new ImportRefusedException($"'{folder}' is not inside a folder this server imports from (Notes:ImportRoots).");
        }

        return canonical;
    }

    /// <summary>Whether a canonical path lies at or below a root.</summary>
    public bool Contains(string canonical) =>
        _roots.Exists(root => (canonical + Path.DirectorySeparatorChar).StartsWith(root, StringComparison.Ordinal));
}
