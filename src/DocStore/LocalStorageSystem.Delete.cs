using DocStore.Sql;

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
            ? _pipeline.RunAsync(AuditOperation.HardDelete, id, (scope, _) =>
            {
                if (_rows.Current(id, scope) is not { } current)
                {
                    return (false);
                }

                _rows.Delete(current.Document, scope);
                return (true);
            },
            cancellationToken)
            : _pipeline.RunAsync(AuditOperation.Delete, id, (scope, _) =>
            {
                if (_rows.Current(id, scope) is not { Document.Status: not DocumentStatus.Deleted } current)
                {
                    return (false);
                }

                var deleted = StoredContent.From(current.Document) with { Status = DocumentStatus.Deleted };
                _rows.Replace(current, deleted, scope, AuditOperation.Delete, DocumentChangeKind.Deleted);
                return (true);
            },
            cancellationToken);
    }
}
