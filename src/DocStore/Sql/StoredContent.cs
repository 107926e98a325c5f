using DocStore.Internal;
using DocStore.Validation;

namespace DocStore.Sql;

/// <summary>The values a document row and each of its version rows share, as stored (tags as their JSON array).</summary>
internal readonly record struct StoredContent(
    string Title,
    string Type,
    DocumentStatus Status,
    string Content,
    string Format,
    string? Language,
    string? SourcePath,
    string Tags,
    string Metadata,
    string ContentHash,
    long SizeBytes)
{
    public static StoredContent From(ValidatedFields fields) => new(
        fields.Title,
        fields.Type,
        fields.Status,
        fields.Content,
        fields.Format,
        fields.Language,
        fields.SourcePath,
        StoredTags.Serialize(fields.Tags),
        fields.Metadata,
        DocumentValidator.ContentHash(fields.Content),
        DocumentValidator.Utf8Size(fields.Content));
}
