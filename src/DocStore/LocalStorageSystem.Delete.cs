using DocStore.Sql;
using DocStore.Writes;

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
            ? _pipeline.RunAsync(AuditOperation.HardDelete, id, (work, _) =>
            {
                if (DocumentWriter.Current(id, work) is not { } current)
                {
                    return false;
                }

                DocumentWriter.Delete(current, work);
                return true;
            },
            cancellationToken)
            : _pipeline.RunAsync(AuditOperation.Delete, id, (work, _) =>
            {
                if (DocumentWriter.Current(id, work) is not { Status: not DocumentStatus.Deleted } current)
                {
                    return false;
                }

                var deleted = StoredContent.From(current) with { Status = DocumentStatus.Deleted };
                DocumentWriter.Replace(current, deleted, work, AuditOperation.Delete, DocumentChangeKind.Deleted);
                return true;
            },
            cancellationToken);
    }
}
