using System.Text.RegularExpressions;

namespace DocStore.Tests;

/// <summary>
/// Rules about the library's source that a review could miss: no <c>unsafe</c> code (a raw pointer into a mapping
/// that dispose unmapped once ended the process; memory outside the managed heap is read through SafeBuffer-based
/// views instead), and no project that allows it; and the engine seam: SQLite's types appear only in the folders
/// named <c>Sqlite</c>, so a second engine can join behind <c>IStorageEngine</c>.
/// </summary>
public sealed partial class LibrarySourceTest
{
    [Fact]
    public void No_library_file_uses_unsafe_code_and_no_project_allows_it()
    {
        var src = Path.Combine(RepositoryRoot(), "src");
        var offenders = Directory.EnumerateFiles(src, "*.cs", SearchOption.AllDirectories)
            .Where(f => !IsBuildOutput(f) && UnsafeKeyword().IsMatch(StripComments(File.ReadAllText(f))))
            .Select(f => Path.GetRelativePath(src, f))
            .ToList();
        Assert.Empty(offenders);

        var allowing = Directory.EnumerateFiles(RepositoryRoot(), "*.*", SearchOption.AllDirectories)
            .Where(f => (f.EndsWith(".csproj", StringComparison.Ordinal) || f.EndsWith(".props", StringComparison.Ordinal)) && !IsBuildOutput(f))
            .Where(f => File.ReadAllText(f).Contains("AllowUnsafeBlocks", StringComparison.Ordinal))
            .ToList();
        Assert.Empty(allowing);
    }

    [Fact]
    public void No_library_file_outside_a_Sqlite_folder_names_a_SQLite_type()
    {
        var src = Path.Combine(RepositoryRoot(), "src");
        var sqliteFolder = $"{Path.DirectorySeparatorChar}Sqlite{Path.DirectorySeparatorChar}";
        var files = Directory.EnumerateFiles(src, "*.cs", SearchOption.AllDirectories).Where(f => !IsBuildOutput(f)).ToList();
        var offenders = files
            .Where(f => !f.Contains(sqliteFolder, StringComparison.Ordinal))
            .SelectMany(f => SqliteType().Matches(StripComments(File.ReadAllText(f))).Select(m => $"{Path.GetRelativePath(src, f)}: {m.Value}"))
            .ToList();
        Assert.Empty(offenders);

        // The rule can fail: the engine's own files do name them.
        Assert.Contains(files, f => f.Contains(sqliteFolder, StringComparison.Ordinal) && SqliteType().IsMatch(File.ReadAllText(f)));
    }

    private static bool IsBuildOutput(string path) =>
        path.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
        || path.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal);

    private static string StripComments(string code) => Comment().Replace(code, string.Empty);

    private static string RepositoryRoot()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "DocStore.sln")))
        {
            folder = folder.Parent;
        }

        return folder?.FullName ?? throw new InvalidOperationException("The repository root (DocStore.sln) was not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex(@"\bunsafe\b")]
    private static partial Regex UnsafeKeyword();

    [GeneratedRegex(@"\bSqlite(Connection|Command|Transaction|Exception|DataReader|Parameter|Type|ConnectionStringBuilder|OpenMode|CacheMode|Blob|Factory)\b|\bSQLitePCL\b|\bMicrosoft\.Data\.Sqlite\b|\bUseSqlite\b")]
    private static partial Regex SqliteType();

    [GeneratedRegex(@"//[^\n]*|/\*.*?\*/", RegexOptions.Singleline)]
    private static partial Regex Comment();
}
