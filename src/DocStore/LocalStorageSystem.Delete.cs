using DocStore.Writes;
using Microsoft.EntityFrameworkCore;

namespace DocStore;

/// <summary>Soft delete (a new version with status Deleted, restorable) and hard delete (the document and its history gone).</summary>
public sealed partial class LocalStorageSystem
{
    /// <inheritdoc />
    public Task<bool> DeleteAsync(long id, DeleteMode mode = DeleteMode.Soft, CancellationToken cancellationToken = default)
    {
        if (!Enum.IsDefined(mode))
        {
            throw new ArgumentOutOfRangeException(nameof(mode), mode, "Unknown delete mode.");
        }

        ThrowIfDisposed();
        return mode == DeleteMode.Hard
            ? _pipeline.RunAsync(AuditOperation.HardDelete, id, (scope, ct) => HardDeleteAsync(id, scope, ct), cancellationToken)
            : _pipeline.RunAsync(AuditOperation.Delete, id, (scope, ct) => SoftDeleteAsync(id, scope, ct), cancellationToken);
    }

    private static async Task<bool> HardDeleteAsync(long id, WriteScope scope, CancellationToken ct)
    {
        var old = await scope.Context.Documents.AsNoTracking().Where(d => d.Id == id)
            .Select(d => new { d.Version, d.Title, d.Content, d.Tags })
            .FirstOrDefaultAsync(ct).ConfigureAwait(false);
        if (old is null)
        {
            return false;
        }

        // Versions and tags go by ON DELETE CASCADE; the index entry is removed here; all in this transaction.
        scope.IndexChanges.Add(new IndexChange(true, id, old.Title, old.Content, old.Tags));
        await scope.Context.Documents.Where(d => d.Id == id).ExecuteDeleteAsync(ct).ConfigureAwait(false);
        scope.Record(AuditOperation.HardDelete, new DocumentChange(id, old.Version, DocumentChangeKind.Purged));
        return true;
    }

    private static async Task<bool> SoftDeleteAsync(long id, WriteScope scope, CancellationToken ct)
    {
        var entity = await scope.Context.Documents
            .FirstOrDefaultAsync(d => d.Id == id && d.Status != DocumentStatus.Deleted, ct).ConfigureAwait(false);
        if (entity is null)
        {
            return false;
        }

        entity.Status = DocumentStatus.Deleted;
        await EntityVersioning.SaveNewVersionAsync(entity, scope, AuditOperation.Delete, DocumentChangeKind.Deleted, ct).ConfigureAwait(false);
        return true;
    }
}
