using DocStore.Internal;
using DocStore.Sql;
using DocStore.Validation;

namespace DocStore.Bench.Systems;

/// <summary>What the write floors' update writes (both engines): the document's next content, and an UPDATE of only the columns that changed, as EF Core writes one (an index on an unchanged column is not touched).</summary>
internal static class FloorUpdate
{
    /// <summary>Runs <paramref name="current"/> (selecting <see cref="ContentColumns.NameList"/>, then version) and reads the row; null when there is none.</summary>
    public static (StoredContent Old, int Version)? Current(System.Data.Common.DbCommand current)
    {
        using var reader = current.ExecuteReader();
        return reader.Read() ? (ContentColumns.Read(reader), reader.GetInt32(ContentColumns.Names.Count)) : null;
    }

    public static StoredContent Next(StoredContent old, DocumentUpdate update)
    {
        var content = update.Content ?? old.Content;
        var changed = !string.Equals(content, old.Content, StringComparison.Ordinal);
        return old with
        {
            Title = update.Title ?? old.Title,
            Content = content,
            Tags = update.Tags is { } tags ? StoredTags.Serialize(tags.ToList()) : old.Tags,
            Metadata = update.Metadata ?? old.Metadata,
            ContentHash = changed ? DocumentValidator.ContentHash(content) : old.ContentHash,
            SizeBytes = changed ? DocumentValidator.Utf8Size(content) : old.SizeBytes,
        };
    }

    /// <summary>The UPDATE setting what differs between <paramref name="old"/> and <paramref name="next"/>, its parameters named with <paramref name="marker"/> (<see cref="ContentColumns"/>' names, and id, version, now, title_key).</summary>
    public static string Sql(StoredContent old, StoredContent next, char marker)
    {
        var changed = new List<string>();
        if (old.Title != next.Title)
        {
            changed.AddRange([$"title = {marker}title", $"title_key = {marker}title_key"]);
        }

        if (old.Content != next.Content)
        {
            changed.AddRange([$"content = {marker}content", $"content_hash = {marker}content_hash", $"size_bytes = {marker}size_bytes"]);
        }

        if (old.Tags != next.Tags)
        {
            changed.Add($"tags = {marker}tags");
        }

        if (old.Metadata != next.Metadata)
        {
            changed.Add($"metadata = {marker}metadata");
        }

        changed.AddRange([$"version = {marker}version", $"updated_at = {marker}now", "updated_by = 'bench'"]);
        return $"UPDATE documents SET {string.Join(", ", changed)} WHERE id = {marker}id";
    }

    /// <summary>Binds the UPDATE <see cref="Sql"/> wrote (its parameters named with <paramref name="marker"/>) for the document's next version.</summary>
    public static System.Data.Common.DbCommand Bind(System.Data.Common.DbCommand statement, ContentColumns columns, char marker, long id, int version, long now, StoredContent next)
    {
        statement.Parameters[marker + "id"].Value = id;
        statement.Parameters[marker + "version"].Value = version;
        statement.Parameters[marker + "now"].Value = now;
        statement.Parameters[marker + "title_key"].Value = Search.TitleKey.Of(next.Title);
        columns.Bind(next);
        return statement;
    }
}
