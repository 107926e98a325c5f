using System.Diagnostics;
using DocStore.Data;
using DocStore.Internal;
using DocStore.Sql;
using DocStore.Validation;
using Microsoft.EntityFrameworkCore;

namespace DocStore;

/// <summary>Create, update, delete and restore: validated, versioned, audited, one transaction each.</summary>
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
            throw await RejectAsync(AuditOperation.Create, null, errors, started).ConfigureAwait(false);
        }

        return await WriteAsync(
            AuditOperation.Create,
            null,
            (_, scope, _) =>
            {
                var created = _preparedWrites.InsertDocument(fields, scope, scope.Transaction!);
                scope.Record(AuditOperation.Create, new DocumentChange(created.Id, 1, DocumentChangeKind.Created));
                return Task.FromResult(created);
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
        var batch = new List<ValidatedFields>();
        var index = 0;
        foreach (var document in documents)
        {
            var fields = _validator.ValidateNew(document, $"[{index++}].", errors);
            if (fields is not null)
            {
                batch.Add(fields);
            }
        }

        if (errors.Count > 0)
        {
            throw await RejectAsync(AuditOperation.Create, null, errors, started).ConfigureAwait(false);
        }

        if (batch.Count == 0)
        {
            return [];
        }

        return await WriteAsync<IReadOnlyList<Document>>(
            AuditOperation.Create,
            null,
            (_, scope, ct) =>
            {
                var created = new Document[batch.Count];
                for (var i = 0; i < batch.Count; i++)
                {
                    ct.ThrowIfCancellationRequested();
                    created[i] = _preparedWrites.InsertDocument(batch[i], scope, scope.Transaction!);
                    scope.Record(AuditOperation.Create, new DocumentChange(created[i].Id, 1, DocumentChangeKind.Created));
                }

                return Task.FromResult<IReadOnlyList<Document>>(created);
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<Document> UpdateAsync(long id, DocumentUpdate update, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(update);
        ThrowIfDisposed();
        var started = Stopwatch.GetTimestamp();
        var errors = new List<ValidationError>();
        var title = update.Title is null ? null : _validator.Title(update.Title, string.Empty, errors);
        var type = update.Type is null ? null : _validator.Slug(update.Type, nameof(update.Type), errors);
        var status = update.Status is { } s ? _validator.Status(s, string.Empty, errors) : (DocumentStatus?)null;
        var content = update.Content is null ? null : _validator.Content(update.Content, string.Empty, errors);
        var format = update.Format is null ? null : _validator.Slug(update.Format, nameof(update.Format), errors);
        var language = update.Language is null ? null : _validator.Language(update.Language, string.Empty, errors);
        var sourcePath = update.SourcePath is null ? null : _validator.SourcePath(update.SourcePath, string.Empty, errors);
        var tags = update.Tags is null ? null : _validator.Tags(update.Tags, string.Empty, errors);
        var metadata = update.Metadata is null ? null : _validator.Metadata(update.Metadata, string.Empty, errors);
        if (errors.Count > 0)
        {
            throw await RejectAsync(AuditOperation.Update, id, errors, started).ConfigureAwait(false);
        }

        return await WriteAsync(
            AuditOperation.Update,
            id,
            async (context, scope, ct) =>
            {
                var entity = await context.Documents.Include(d => d.TagRows)
                    .FirstOrDefaultAsync(d => d.Id == id && d.Status != DocumentStatus.Deleted, ct).ConfigureAwait(false)
                    ?? throw new DocumentNotFoundException(id);
                if (update.ExpectedVersion is { } expected && expected != entity.Version)
                {
                    throw new VersionConflictException(id, expected, entity.Version);
                }

                var indexed = (entity.Title, entity.Content, entity.Tags);
                var changed = false;
                changed |= Set(entity.Title, title, v => entity.Title = v);
                changed |= Set(entity.Type, type, v => entity.Type = v);
                changed |= Set(entity.Format, format, v => entity.Format = v);
                changed |= Set(entity.Metadata, metadata, v => entity.Metadata = v);
                if (status is { } newStatus && newStatus != entity.Status)
                {
                    entity.Status = newStatus;
                    changed = true;
                }

                if (content is not null && !string.Equals(content, entity.Content, StringComparison.Ordinal))
                {
                    entity.Content = content;
                    entity.ContentHash = DocumentValidator.ContentHash(content);
                    entity.SizeBytes = DocumentValidator.Utf8Size(content);
                    changed = true;
                }

                if (update.Language is not null && !string.Equals(language, entity.Language, StringComparison.Ordinal))
                {
                    entity.Language = language;
                    changed = true;
                }

                if (update.SourcePath is not null && !string.Equals(sourcePath, entity.SourcePath, StringComparison.Ordinal))
                {
                    entity.SourcePath = sourcePath;
                    changed = true;
                }

                if (tags is not null)
                {
                    changed |= ReplaceTags(entity, tags);
                }

                if (!changed)
                {
                    return DocumentMapper.FromEntity(entity);
                }

                await SaveNewVersionAsync(context, entity, scope, AuditOperation.Update, DocumentChangeKind.Updated, ct).ConfigureAwait(false);
                Reindex(entity, indexed, scope);
                return DocumentMapper.FromEntity(entity);
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public Task<bool> DeleteAsync(long id, DeleteMode mode = DeleteMode.Soft, CancellationToken cancellationToken = default)
    {
        if (!Enum.IsDefined(mode))
        {
            throw new ArgumentOutOfRangeException(nameof(mode), mode, "Unknown delete mode.");
        }

        return mode == DeleteMode.Hard
            ? WriteAsync(AuditOperation.HardDelete, id, async (context, scope, ct) =>
            {
                var old = await context.Documents.AsNoTracking().Where(d => d.Id == id)
                    .Select(d => new { d.Version, d.Title, d.Content, d.Tags })
                    .FirstOrDefaultAsync(ct).ConfigureAwait(false);
                if (old is null)
                {
                    return false;
                }

                // Versions and tags go by ON DELETE CASCADE; the index entry is removed here; all in this transaction.
                scope.IndexChanges.Add(new IndexChange(true, id, old.Title, old.Content, old.Tags));
                await context.Documents.Where(d => d.Id == id).ExecuteDeleteAsync(ct).ConfigureAwait(false);
                scope.Record(AuditOperation.HardDelete, new DocumentChange(id, old.Version, DocumentChangeKind.Purged));
                return true;
            },
            cancellationToken)
            : WriteAsync(AuditOperation.Delete, id, async (context, scope, ct) =>
            {
                var entity = await context.Documents
                    .FirstOrDefaultAsync(d => d.Id == id && d.Status != DocumentStatus.Deleted, ct).ConfigureAwait(false);
                if (entity is null)
                {
                    return false;
                }

                entity.Status = DocumentStatus.Deleted;
                await SaveNewVersionAsync(context, entity, scope, AuditOperation.Delete, DocumentChangeKind.Deleted, ct).ConfigureAwait(false);
                return true;
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<Document> RestoreVersionAsync(long id, int version, CancellationToken cancellationToken = default) =>
        WriteAsync(
            AuditOperation.Restore,
            id,
            async (context, scope, ct) =>
            {
                var entity = await context.Documents.Include(d => d.TagRows)
                    .FirstOrDefaultAsync(d => d.Id == id, ct).ConfigureAwait(false)
                    ?? throw new DocumentNotFoundException(id);
                var snapshot = await context.Versions.AsNoTracking()
                    .FirstOrDefaultAsync(v => v.DocumentId == id && v.Version == version, ct).ConfigureAwait(false)
                    ?? throw new DocumentNotFoundException(id, version);

                var indexed = (entity.Title, entity.Content, entity.Tags);
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
                ReplaceTags(entity, StoredTags.Parse(snapshot.Tags));
                await SaveNewVersionAsync(context, entity, scope, AuditOperation.Restore, DocumentChangeKind.Updated, ct).ConfigureAwait(false);
                Reindex(entity, indexed, scope);
                return DocumentMapper.FromEntity(entity);
            },
            cancellationToken);

    /// <summary>Bumps the version, stamps the time, adds the snapshot row and saves; the version check guards other processes.</summary>
    private static async Task SaveNewVersionAsync(
        DocStoreDbContext context, DocumentEntity entity, WriteScope scope, AuditOperation operation, DocumentChangeKind kind, CancellationToken ct)
    {
        entity.Version++;
        entity.UpdatedAt = scope.Now;
        context.Versions.Add(DocumentVersionEntity.SnapshotOf(entity, scope.Actor));
        await context.SaveChangesAsync(ct).ConfigureAwait(false);
        scope.Record(operation, new DocumentChange(entity.Id, entity.Version, kind));
    }

    /// <summary>Replaces the document's full-text entry when its title, content or tags changed.</summary>
    private static void Reindex(DocumentEntity entity, (string Title, string Content, string Tags) indexed, WriteScope scope)
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

    private static bool Set(string current, string? value, Action<string> assign)
    {
        if (value is null || string.Equals(current, value, StringComparison.Ordinal))
        {
            return false;
        }

        assign(value);
        return true;
    }

    /// <summary>Makes the tag rows and the stored tag list equal <paramref name="tags"/>; returns whether anything changed.</summary>
    private static bool ReplaceTags(DocumentEntity entity, IReadOnlyList<string> tags)
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
