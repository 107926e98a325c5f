using System.Diagnostics;
using DocStore.Sql;
using DocStore.Validation;
using DocStore.Writes;
using Microsoft.EntityFrameworkCore;

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
            async (scope, ct) =>
            {
                var entity = await scope.Context.Documents.Include(d => d.TagRows)
                    .FirstOrDefaultAsync(d => d.Id == id && d.Status != DocumentStatus.Deleted, ct).ConfigureAwait(false)
                    ?? throw new DocumentNotFoundException(id);
                if (fields.ExpectedVersion is { } expected && expected != entity.Version)
                {
                    throw new VersionConflictException(id, expected, entity.Version);
                }

                var indexed = EntityVersioning.Indexed(entity);
                var changed = false;
                changed |= Set(entity.Title, fields.Title, v => entity.Title = v);
                changed |= Set(entity.Type, fields.Type, v => entity.Type = v);
                changed |= Set(entity.Format, fields.Format, v => entity.Format = v);
                changed |= Set(entity.Metadata, fields.Metadata, v => entity.Metadata = v);
                if (fields.Status is { } newStatus && newStatus != entity.Status)
                {
                    entity.Status = newStatus;
                    changed = true;
                }

                if (fields.Content is { } content && !string.Equals(content, entity.Content, StringComparison.Ordinal))
                {
                    entity.Content = content;
                    entity.ContentHash = DocumentValidator.ContentHash(content);
                    entity.SizeBytes = DocumentValidator.Utf8Size(content);
                    changed = true;
                }

                if (fields.SetsLanguage && !string.Equals(fields.Language, entity.Language, StringComparison.Ordinal))
                {
                    entity.Language = fields.Language;
                    changed = true;
                }

                if (fields.SetsSourcePath && !string.Equals(fields.SourcePath, entity.SourcePath, StringComparison.Ordinal))
                {
                    entity.SourcePath = fields.SourcePath;
                    changed = true;
                }

                if (fields.Tags is { } tags)
                {
                    changed |= EntityVersioning.ReplaceTags(entity, tags);
                }

                if (!changed)
                {
                    return DocumentMapper.FromEntity(entity);
                }

                await EntityVersioning.SaveNewVersionAsync(entity, scope, AuditOperation.Update, DocumentChangeKind.Updated, ct).ConfigureAwait(false);
                EntityVersioning.Reindex(entity, indexed, scope);
                return DocumentMapper.FromEntity(entity);
            },
            cancellationToken).ConfigureAwait(false);
    }

    private static bool Set(string current, string? value, Action<string> assign)
    {
        if (value is null || string.Equals(current, value, StringComparison.Ordinal))
        {
            return false;
        }

        assign(value);
        return true;
    }
}
