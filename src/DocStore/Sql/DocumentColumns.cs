using System.Data.Common;
using DocStore.Internal;

namespace DocStore.Sql;

/// <summary>
/// The one list of a document's columns for raw reads: the select list every raw document query uses,
/// and the reader that turns such a row into a <see cref="Document"/>, by named ordinals in the same order.
/// </summary>
internal static class DocumentColumns
{
    // The document's own columns around the content columns (ContentColumns), in this order.
    private const int Id = 0, Uuid = 1, FirstContent = 2;
    private static readonly int Version = FirstContent + ContentColumns.Names.Count;
    private static readonly int CreatedAt = Version + 1, UpdatedAt = Version + 2, LastAccessedAt = Version + 3, AccessCount = Version + 4;

    private static readonly string[] Names =
    [
        "d.id", "d.uuid", .. ContentColumns.Names.Select(n => "d." + n), "d.version", "d.created_at", "d.updated_at", "r.last_accessed_at", "r.access_count",
    ];

    /// <summary>
    /// "d.id, d.uuid, ..., r.access_count": the columns, in the order <see cref="Read"/> expects, of the documents
    /// table aliased <c>d</c> and, for the read counts, <c>document_reads</c> aliased <c>r</c> (see <see cref="ReadsJoin"/>).
    /// </summary>
    public static readonly string SelectList = string.Join(", ", Names);

    /// <summary>Joins each document (aliased <c>d</c>) to its read counts (aliased <c>r</c>): every query selecting <see cref="SelectList"/> needs it.</summary>
    public const string ReadsJoin = "JOIN document_reads r ON r.document_id = d.id";

    /// <summary>"documents d" with its read counts: the FROM of a query that selects <see cref="SelectList"/>.</summary>
    public const string From = "documents d " + ReadsJoin;

    /// <summary>
    /// The same rows driven from the read counts (a listing most read first): SQLite then walks the read counts' index
    /// in order and stops at the page, where joining the other way round sorted every document for each page.
    /// </summary>
    public const string FromByReads = "document_reads r CROSS JOIN documents d ON d.id = r.document_id";

    /// <summary>How many columns <see cref="SelectList"/> holds; columns a query adds after them start here.</summary>
    public static int Count => Names.Length;

    public static Document Read(DbDataReader r) => ContentColumns.Read(r, FirstContent).ToDocument(
        r.GetInt64(Id),
        StoredBytes.ToUuid(r.GetFieldValue<byte[]>(Uuid)),
        r.GetInt32(Version),
        UtcTicks.ToDateTimeOffset(r.GetInt64(CreatedAt)),
        UtcTicks.ToDateTimeOffset(r.GetInt64(UpdatedAt)),
        r.IsDBNull(LastAccessedAt) ? null : UtcTicks.ToDateTimeOffset(r.GetInt64(LastAccessedAt)),
        r.GetInt64(AccessCount));
}
