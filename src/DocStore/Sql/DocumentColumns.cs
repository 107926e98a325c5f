using System.Data.Common;
using DocStore.Internal;

namespace DocStore.Sql;

/// <summary>
/// The one list of a document's columns for raw reads: the select list every raw document query uses,
/// and the reader that turns such a row into a <see cref="Document"/>, by named ordinals in the same order.
/// </summary>
internal static class DocumentColumns
{
    private const int Id = 0, Uuid = 1, Title = 2, Type = 3, Status = 4, Content = 5, Format = 6, Language = 7, SourcePath = 8,
        Tags = 9, Metadata = 10, ContentHash = 11, SizeBytes = 12, Version = 13, CreatedAt = 14, UpdatedAt = 15, LastAccessedAt = 16, AccessCount = 17;

    private static readonly string[] Names =
    [
        "id", "uuid", "title", "type", "status", "content", "format", "language", "source_path", "tags", "metadata",
        "content_hash", "size_bytes", "version", "created_at", "updated_at", "last_accessed_at", "access_count",
    ];

    /// <summary>
    /// "d.id, d.uuid, ..., r.access_count": the columns, in the order <see cref="Read"/> expects, of the documents
    /// table aliased <c>d</c> and, for the read counts, <c>document_reads</c> aliased <c>r</c> (see <see cref="ReadsJoin"/>).
    /// </summary>
    public static readonly string SelectList = string.Join(", ", Names.Select((n, i) => (i >= LastAccessedAt ? "r." : "d.") + n));

    /// <summary>Joins each document (aliased <c>d</c>) to its read counts (aliased <c>r</c>): every query selecting <see cref="SelectList"/> needs it.</summary>
    public const string ReadsJoin = "JOIN document_reads r ON r.document_id = d.id";

    /// <summary>"documents d" with its read counts: the FROM of a query that selects <see cref="SelectList"/>.</summary>
    public const string From = "documents d " + ReadsJoin;

    /// <summary>How many columns <see cref="SelectList"/> holds; columns a query adds after them start here.</summary>
    public static int Count => Names.Length;

    public static Document Read(DbDataReader r) => new()
    {
        Id = r.GetInt64(Id),
        Uuid = UuidText.Parse(r.GetString(Uuid)),
        Title = r.GetString(Title),
        Type = r.GetString(Type),
        Status = (DocumentStatus)r.GetInt32(Status),
        Content = r.GetString(Content),
        Format = r.GetString(Format),
        Language = r.IsDBNull(Language) ? null : r.GetString(Language),
        SourcePath = r.IsDBNull(SourcePath) ? null : r.GetString(SourcePath),
        Tags = StoredTags.Parse(r.GetString(Tags)),
        Metadata = r.GetString(Metadata),
        ContentHash = r.GetString(ContentHash),
        SizeBytes = r.GetInt64(SizeBytes),
        Version = r.GetInt32(Version),
        CreatedAt = UtcTicks.ToDateTimeOffset(r.GetInt64(CreatedAt)),
        UpdatedAt = UtcTicks.ToDateTimeOffset(r.GetInt64(UpdatedAt)),
        LastAccessedAt = r.IsDBNull(LastAccessedAt) ? null : UtcTicks.ToDateTimeOffset(r.GetInt64(LastAccessedAt)),
        AccessCount = r.GetInt64(AccessCount),
    };
}
