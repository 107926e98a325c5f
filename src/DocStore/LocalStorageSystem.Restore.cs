using DocStore.Internal;
using DocStore.Sql;
using DocStore.Writes;
using Microsoft.EntityFrameworkCore;

namespace DocStore;

/// <summary>Restore: an earlier version written back as a new version (also undeletes).</summary>
public sealed partial class LocalStorageSystem
{
    /// <inheritdoc />
    public Task<Document> RestoreVersionAsync(long id, int version, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        return _pipeline.RunAsync(
            AuditOperation.Restore,
            id,
            async (scope, ct) =>
            {
                var entity = await scope.Context.Documents.Include(d => d.TagRows)
                    .FirstOrDefaultAsync(d => d.Id == id, ct).ConfigureAwait(false)
                    ?? throw new DocumentNotFoundException(id);
                var snapshot = await scope.Context.Versions.AsNoTracking()
                    .FirstOrDefaultAsync(v => v.DocumentId == id && v.Version == version, ct).ConfigureAwait(false)
                    ?? throw new DocumentNotFoundException(id, version);

                var indexed = EntityVersioning.Indexed(entity);
                entity.Title = snapshot.Title;
                entity.Type = snapshot.Type;
                entity.Status = snapshot.Status == DocumentStatus.Deleted ? DocumentStatus.Active : snapshot.Status;
                entity.Content = snapshot.Content;
                entity.Format = snapshot.Format;
                entity.Language = snapshot.Language;
                entity.SourcePath = snapshot.SourcePath;
                entity.Metadata = snapshot.Metadata;
                entity.ContentHash = snapshot.ContentHash;
                entity.SizeBytes = snapshot.SizeBytes;
                EntityVersioning.ReplaceTags(entity, StoredTags.Parse(snapshot.Tags));
                await EntityVersioning.SaveNewVersionAsync(entity, scope, AuditOperation.Restore, DocumentChangeKind.Updated, ct).ConfigureAwait(false);
                EntityVersioning.Reindex(entity, indexed, scope);
                return DocumentMapper.FromEntity(entity);
            },
            cancellationToken);
    }
}
