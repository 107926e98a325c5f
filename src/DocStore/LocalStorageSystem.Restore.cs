using DocStore.Sql;

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
            (scope, _) =>
            {
                var current = _rows.Current(id, scope) ?? throw new DocumentNotFoundException(id);
                var snapshot = version == current.Document.Version
                    ? StoredContent.From(current.Document)
                    : _rows.Version(id, version, scope) ?? throw new DocumentNotFoundException(id, version);
                if (snapshot.Status == DocumentStatus.Deleted)
                {
                    snapshot = snapshot with { Status = DocumentStatus.Active };
                }

                return (_rows.Replace(current, snapshot, scope, AuditOperation.Restore, DocumentChangeKind.Updated));
            },
            cancellationToken);
    }
}
