using DocStore.Data;
using DocStore.Internal;
using DocStore.Sql;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace DocStore;

/// <summary>Reads done the plain way: a pooled EF Core context per call, no tracking.</summary>
public sealed partial class LocalStorageSystem
{
    /// <inheritdoc />
    public async ValueTask<Document?> GetAsync(long id, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        using var gate = await EnterReadAsync().ConfigureAwait(false);
        await using var context = _readContexts.CreateDbContext();
        var entity = await context.Documents
            .FirstOrDefaultAsync(d => d.Id == id && d.Status != DocumentStatus.Deleted, cancellationToken).ConfigureAwait(false);
        return entity is null ? null : DocumentMapper.FromEntity(entity);
    }

    /// <inheritdoc />
    public async ValueTask<Document?> GetByUuidAsync(Guid uuid, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        using var gate = await EnterReadAsync().ConfigureAwait(false);
        var text = UuidText.Format(uuid);
        await using var context = _readContexts.CreateDbContext();
        var entity = await context.Documents
            .FirstOrDefaultAsync(d => d.Uuid == text && d.Status != DocumentStatus.Deleted, cancellationToken).ConfigureAwait(false);
        return entity is null ? null : DocumentMapper.FromEntity(entity);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<Document>> GetManyAsync(IEnumerable<long> ids, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        using var gate = await EnterReadAsync().ConfigureAwait(false);
        var wanted = QueryGuard.DistinctIds(ids);
        if (wanted.Count == 0)
        {
            return [];
        }

        await using var context = _readContexts.CreateDbContext();
        var found = await context.Documents
            .Where(d => wanted.Contains(d.Id) && d.Status != DocumentStatus.Deleted)
            .ToDictionaryAsync(d => d.Id, cancellationToken).ConfigureAwait(false);
        var result = new List<Document>(found.Count);
        foreach (var id in wanted)
        {
            if (found.TryGetValue(id, out var entity))
            {
                result.Add(DocumentMapper.FromEntity(entity));
            }
        }

        return result;
    }

    /// <inheritdoc />
    public async Task<PagedResult<Document>> ListAsync(ListQuery query, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        using var gate = await EnterReadAsync().ConfigureAwait(false);
        QueryGuard.Validate(query);
        await using var context = _readContexts.CreateDbContext();
        var filtered = Filter(context.Documents, query);
        var total = await filtered.LongCountAsync(cancellationToken).ConfigureAwait(false);
        if (total == 0)
        {
            return new PagedResult<Document>([], 0, query.Page, query.PageSize);
        }

        var ordered = (query.OrderBy, query.Descending) switch
        {
            (DocumentOrder.CreatedAt, false) => filtered.OrderBy(d => d.CreatedAt).ThenBy(d => d.Id),
            (DocumentOrder.CreatedAt, true) => filtered.OrderByDescending(d => d.CreatedAt).ThenByDescending(d => d.Id),
            (DocumentOrder.Title, false) => filtered.OrderBy(d => EF.Functions.Collate(d.Title, "NOCASE")).ThenBy(d => d.Id),
            (DocumentOrder.Title, true) => filtered.OrderByDescending(d => EF.Functions.Collate(d.Title, "NOCASE")).ThenByDescending(d => d.Id),
            (DocumentOrder.AccessCount, false) => filtered.OrderBy(d => d.AccessCount).ThenBy(d => d.Id),
            (DocumentOrder.AccessCount, true) => filtered.OrderByDescending(d => d.AccessCount).ThenByDescending(d => d.Id),
            (_, false) => filtered.OrderBy(d => d.UpdatedAt).ThenBy(d => d.Id),
            (_, true) => filtered.OrderByDescending(d => d.UpdatedAt).ThenByDescending(d => d.Id),
        };
        var skip = (query.Page - 1) * query.PageSize;
        var entities = await ordered.Skip(skip).Take(query.PageSize).ToListAsync(cancellationToken).ConfigureAwait(false);
        return new PagedResult<Document>(entities.ConvertAll(DocumentMapper.FromEntity), total, query.Page, query.PageSize);
    }

    /// <inheritdoc />
    public async Task<PagedResult<SearchHit>> SearchAsync(SearchQuery query, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        using var gate = await EnterReadAsync().ConfigureAwait(false);
        QueryGuard.Validate(query);
        var sql = QuerySql.Search(query, FtsQuery.Build(query));

        // EF Core cannot express MATCH, bm25() or snippet(): the plain path runs the shared SQL on the context's connection.
        await using var context = _readContexts.CreateDbContext();
        var connection = (SqliteConnection)context.Database.GetDbConnection();
        await context.Database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var command = connection.CreateCommand();
            SqlCommands.Bind(command, sql.Arguments);
            command.CommandText = sql.CountSql;
            var total = (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
            var hits = new List<SearchHit>();
            if (total > 0)
            {
                command.CommandText = sql.PageSql;
                await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    hits.Add(SqlCommands.ReadSearchHit(reader));
                }
            }

            return new PagedResult<SearchHit>(hits, total, query.Page, query.PageSize);
        }
        catch (SqliteException e) when (SqlCommands.AsInvalidSearch(e) is { } invalid)
        {
            throw invalid;
        }
        finally
        {
            await context.Database.CloseConnectionAsync().ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<DocumentVersion>> GetVersionsAsync(long id, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        using var gate = await EnterReadAsync().ConfigureAwait(false);
        await using var context = _readContexts.CreateDbContext();
        var rows = await context.Versions.Where(v => v.DocumentId == id).OrderBy(v => v.Version)
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        return rows.ConvertAll(DocumentMapper.FromEntity);
    }

    /// <inheritdoc />
    public async Task<DocumentVersion?> GetVersionAsync(long id, int version, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        using var gate = await EnterReadAsync().ConfigureAwait(false);
        await using var context = _readContexts.CreateDbContext();
        var row = await context.Versions.FirstOrDefaultAsync(v => v.DocumentId == id && v.Version == version, cancellationToken)
            .ConfigureAwait(false);
        return row is null ? null : DocumentMapper.FromEntity(row);
    }

    /// <inheritdoc />
    public async Task<PagedResult<AuditEntry>> GetAuditLogAsync(AuditQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ThrowIfDisposed();
        using var gate = await EnterReadAsync().ConfigureAwait(false);
        QueryGuard.ValidatePaging(query.Page, query.PageSize, nameof(query));
        await using var context = _readContexts.CreateDbContext();
        IQueryable<AuditEntryEntity> rows = context.Audit;
        if (query.DocumentId is { } documentId)
        {
            rows = rows.Where(a => a.DocumentId == documentId);
        }

        var total = await rows.LongCountAsync(cancellationToken).ConfigureAwait(false);
        var page = await rows.OrderByDescending(a => a.Id).Skip((query.Page - 1) * query.PageSize).Take(query.PageSize)
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        return new PagedResult<AuditEntry>(page.ConvertAll(DocumentMapper.FromEntity), total, query.Page, query.PageSize);
    }

    /// <inheritdoc />
    public async Task<StoreStatistics> GetStatisticsAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        using var gate = await EnterReadAsync().ConfigureAwait(false);
        await using var context = _readContexts.CreateDbContext();
        var byStatus = await context.Documents.GroupBy(d => d.Status)
            .Select(g => new { Status = g.Key, Count = g.LongCount(), Bytes = g.Sum(d => d.SizeBytes) })
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        var byType = await context.Documents.Where(d => d.Status != DocumentStatus.Deleted).GroupBy(d => d.Type)
            .Select(g => new { Type = g.Key, Count = g.LongCount() })
            .ToDictionaryAsync(g => g.Type, g => g.Count, cancellationToken).ConfigureAwait(false);
        var versions = await context.Versions.LongCountAsync(cancellationToken).ConfigureAwait(false);
        var audit = await context.Audit.LongCountAsync(cancellationToken).ConfigureAwait(false);
        var tags = await context.Tags.Select(t => t.Tag).Distinct().LongCountAsync(cancellationToken).ConfigureAwait(false);
        var pages = await context.Database.SqlQueryRaw<long>("SELECT page_count * page_size AS Value FROM pragma_page_count(), pragma_page_size()")
            .SingleAsync(cancellationToken).ConfigureAwait(false);

        var live = byStatus.Where(s => s.Status != DocumentStatus.Deleted).ToList();
        return new StoreStatistics
        {
            DocumentCount = live.Sum(s => s.Count),
            TotalContentBytes = live.Sum(s => s.Bytes),
            CountByStatus = Enum.GetValues<DocumentStatus>().ToDictionary(s => s, s => byStatus.FirstOrDefault(b => b.Status == s)?.Count ?? 0),
            CountByType = byType,
            VersionCount = versions,
            AuditEntryCount = audit,
            DistinctTagCount = tags,
            DatabaseBytes = pages,
        };
    }

    /// <summary>The EF Core form of the filters <see cref="QuerySql"/> writes in SQL; equivalence tests keep them in step.</summary>
    private static IQueryable<DocumentEntity> Filter(IQueryable<DocumentEntity> documents, DocumentQueryBase query)
    {
        documents = query.Status is { } status
            ? documents.Where(d => d.Status == status)
            : documents.Where(d => d.Status != DocumentStatus.Deleted);
        if (query.Type is { } type)
        {
            documents = documents.Where(d => d.Type == type);
        }

        foreach (var tag in QueryGuard.NormalizedFilterTags(query.Tags))
        {
            documents = documents.Where(d => d.TagRows.Any(t => t.Tag == tag));
        }

        foreach (var filter in query.Metadata ?? [])
        {
            ArgumentNullException.ThrowIfNull(filter, nameof(query.Metadata));
            var path = filter.JsonPath;
            var value = filter.JsonValue;
            documents = documents.Where(d => DocStoreDbContext.JsonExtract(d.Metadata, path) == DocStoreDbContext.JsonExtract(value, "$"));
        }

        if (query.CreatedFrom is { } createdFrom)
        {
            var ticks = UtcTicks.From(createdFrom);
            documents = documents.Where(d => d.CreatedAt >= ticks);
        }

        if (query.CreatedTo is { } createdTo)
        {
            var ticks = UtcTicks.From(createdTo);
            documents = documents.Where(d => d.CreatedAt < ticks);
        }

        if (query.UpdatedFrom is { } updatedFrom)
        {
            var ticks = UtcTicks.From(updatedFrom);
            documents = documents.Where(d => d.UpdatedAt >= ticks);
        }

        if (query.UpdatedTo is { } updatedTo)
        {
            var ticks = UtcTicks.From(updatedTo);
            documents = documents.Where(d => d.UpdatedAt < ticks);
        }

        return documents;
    }
}
