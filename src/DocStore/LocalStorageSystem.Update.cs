using System.Diagnostics;
using DocStore.Sql;
using DocStore.Writes;

namespace DocStore;

/// <summary>Partial update with optimistic concurrency, written as a new version.</summary>
public sealed partial class LocalStorageSystem
{
    /// <inheritdoc />
    public async Task<Document> UpdateAsync(long id, DocumentUpdate update, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(update);
        ThrowIfDisposed();
        var started = Stopwatch.GetTimestamp();
        var errors = new List<ValidationError>();
        var fields = _validator.ValidateUpdate(update, errors);
        if (fields is null)
        {
            throw await _pipeline.RejectAsync(AuditOperation.Update, id, errors, started).ConfigureAwait(false);
        }

        return await _pipeline.RunAsync(
            AuditOperation.Update,
            id,
            (work, _) =>
            {
                if (DocumentWriter.Current(id, work) is not { Status: not DocumentStatus.Deleted } current)
                {
                    throw new DocumentNotFoundException(id);
                }

                if (fields.ExpectedVersion is { } expected && expected != current.Version)
                {
                    throw new VersionConflictException(id, expected, current.Version);
                }

                var stored = StoredContent.From(current);
                var next = stored.With(fields);

                // An update that changes nothing writes nothing and returns the document as it is.
                return next == stored
                    ? DocumentMapper.FromEntity(current)
                    : DocumentWriter.Replace(current, next, work, AuditOperation.Update, DocumentChangeKind.Updated);
            },
            cancellationToken).ConfigureAwait(false);
    }
}
