using DocStore.Sql;
using DocStore.Writes;

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
            (work, _) =>
            {
                var current = DocumentWriter.Current(id, work) ?? throw new DocumentNotFoundException(id);
                var snapshot = version == current.Version
                    ? StoredContent.From(current)
                    : DocumentWriter.Version(id, version, work) ?? throw new DocumentNotFoundException(id, version);
                if (snapshot.Status == DocumentStatus.Deleted)
                {
                    snapshot = snapshot with { Status = DocumentStatus.Active };
                }

                return DocumentWriter.Replace(current, snapshot, work, AuditOperation.Restore, DocumentChangeKind.Updated);
            },
            cancellationToken);
    }
}
