using DocStore.Data;
using DocStore.Internal;

namespace DocStore.Writes;

/// <summary>
/// What every change to an existing document does through EF Core (update, soft delete, restore): bump the
/// version, stamp the time, add the snapshot row, save with the version as concurrency token, and queue the
/// full-text index change when the indexed text changed.
/// </summary>
internal static class EntityVersioning
{
    /// <summary>Bumps the version, stamps the time, adds the snapshot row and saves; the version check guards other processes.</summary>
    public static async Task SaveNewVersionAsync(DocumentEntity entity, WriteScope scope, AuditOperation operation, DocumentChangeKind kind, CancellationToken ct)
    {
        entity.Version++;
        entity.UpdatedAt = scope.Now;
        scope.Context.Versions.Add(DocumentVersionEntity.SnapshotOf(entity, scope.Actor));
        await scope.Context.SaveChangesAsync(ct).ConfigureAwait(false);
        scope.Record(operation, new DocumentChange(entity.Id, entity.Version, kind));
    }

    /// <summary>The values the document is indexed with now, to compare with after a change (<see cref="Reindex"/>).</summary>
    public static (string Title, string Content, string Tags) Indexed(DocumentEntity entity) => (entity.Title, entity.Content, entity.Tags);

    /// <summary>Replaces the document's full-text entry when its title, content or tags changed.</summary>
    public static void Reindex(DocumentEntity entity, (string Title, string Content, string Tags) indexed, WriteScope scope)
    {
        if (string.Equals(indexed.Title, entity.Title, StringComparison.Ordinal)
            && string.Equals(indexed.Content, entity.Content, StringComparison.Ordinal)
            && string.Equals(indexed.Tags, entity.Tags, StringComparison.Ordinal))
        {
            return;
        }

        scope.IndexChanges.Add(new IndexChange(true, entity.Id, indexed.Title, indexed.Content, indexed.Tags));
        scope.IndexChanges.Add(new IndexChange(false, entity.Id, entity.Title, entity.Content, entity.Tags));
    }

    /// <summary>Makes the tag rows and the stored tag list equal <paramref name="tags"/>; returns whether anything changed.</summary>
    public static bool ReplaceTags(DocumentEntity entity, IReadOnlyList<string> tags)
    {
        var json = StoredTags.Serialize(tags);
        if (string.Equals(json, entity.Tags, StringComparison.Ordinal))
        {
            return false;
        }

        entity.Tags = json;
        var wanted = new HashSet<string>(tags, StringComparer.Ordinal);
        entity.TagRows.RemoveAll(row => !wanted.Contains(row.Tag));
        foreach (var row in entity.TagRows)
        {
            wanted.Remove(row.Tag);
        }

        foreach (var tag in wanted)
        {
            entity.TagRows.Add(new DocumentTagEntity { Tag = tag, DocumentId = entity.Id, Document = entity });
        }

        return true;
    }
}
