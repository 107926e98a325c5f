using System.Diagnostics;
using DocStore.Sql;
using DocStore.Writes;

namespace DocStore;

/// <summary>Create one document or a batch: validated first, then one transaction each (a batch is one transaction).</summary>
public sealed partial class LocalStorageSystem
{
    /// <inheritdoc />
    public async Task<Document> CreateAsync(NewDocument document, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        var started = Stopwatch.GetTimestamp();
        var errors = new List<ValidationError>();
        var fields = _validator.ValidateNew(document, string.Empty, errors);
        if (fields is null)
        {
            throw await _pipeline.RejectAsync(AuditOperation.Create, null, errors, started).ConfigureAwait(false);
        }

        return await _pipeline.RunAsync(
            AuditOperation.Create,
            null,
            (work, _) =>
            {
                var created = DocumentWriter.Add(fields.Value, work);
                work.Save();
                return DocumentMapper.FromEntity(created);
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<Document>> CreateManyAsync(IEnumerable<NewDocument> documents, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(documents);
        ThrowIfDisposed();
        var started = Stopwatch.GetTimestamp();
        var errors = new List<ValidationError>();
        var batch = new List<StoredContent>();
        var index = 0;
        foreach (var document in documents)
        {
            var fields = _validator.ValidateNew(document, $"[{index++}].", errors);
            if (fields is not null)
            {
                batch.Add(fields.Value);
            }
        }

        if (errors.Count > 0)
        {
            throw await _pipeline.RejectAsync(AuditOperation.Create, null, errors, started).ConfigureAwait(false);
        }

        if (batch.Count == 0)
        {
            return [];
        }

        return await _pipeline.RunAsync<IReadOnlyList<Document>>(
            AuditOperation.Create,
            null,
            (work, ct) =>
            {
                var created = new Data.DocumentEntity[batch.Count];
                for (var i = 0; i < batch.Count; i++)
                {
                    ct.ThrowIfCancellationRequested();
                    created[i] = DocumentWriter.Add(batch[i], work);
                }

                work.Save();
                return (IReadOnlyList<Document>)Array.ConvertAll(created, DocumentMapper.FromEntity);
            },
            cancellationToken).ConfigureAwait(false);
    }
}
