using DocStore.Data;
using DocStore.Internal;
using DocStore.Search;
using DocStore.Sql;
using System.Data.Common;
using System.Linq.Expressions;
using DocStore.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace DocStore;

/// <summary>Reads done the plain way: a pooled EF Core context per call, no tracking, SQLite errors translated.</summary>
public sealed partial class LocalStorageSystem
{
    /// <inheritdoc />
    public async ValueTask<Document?> GetAsync(long id, CancellationToken cancellationToken = default) =>
        await ReadAsync(
            async (context, _, ct) =>
            {
                var entity = await context.Documents
                    .FirstOrDefaultAsync(d => d.Id == id && d.Status != DocumentStatus.Deleted, ct).ConfigureAwait(false);
                return entity is null ? null : DocumentMapper.FromEntity(entity);
            },
            cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public async ValueTask<Document?> GetByUuidAsync(Guid uuid, CancellationToken cancellationToken = default)
    {
        var stored = StoredBytes.FromUuid(uuid);
        return await ReadAsync(
            async (context, _, ct) =>
            {
                var entity = await context.Documents
                    .FirstOrDefaultAsync(d => d.Uuid == stored && d.Status != DocumentStatus.Deleted, ct).ConfigureAwait(false);
                return entity is null ? null : DocumentMapper.FromEntity(entity);
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<Document>> GetManyAsync(IEnumerable<long> ids, CancellationToken cancellationToken = default)
    {
        var wanted = QueryGuard.DistinctIds(ids);
        if (wanted.Count == 0)
        {
            ThrowIfDisposed();
            return [];
        }

        return await ReadAsync<IReadOnlyList<Document>>(
            async (context, _, ct) =>
            {
                var found = await context.Documents
                    .Where(d => wanted.Contains(d.Id) && d.Status != DocumentStatus.Deleted)
                    .ToDictionaryAsync(d => d.Id, ct).ConfigureAwait(false);
                var result = new List<Document>(found.Count);
                foreach (var id in wanted)
                {
                    if (found.TryGetValue(id, out var entity))
                    {
                        result.Add(DocumentMapper.FromEntity(entity));
                    }
                }

                return result;
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public Task<PagedResult<Document>> ListAsync(ListQuery query, CancellationToken cancellationToken = default)
    {
        QueryGuard.Validate(query);
        return ReadAsync(
            async (context, _, ct) =>
            {
                var filtered = Filter(context.Documents, query);
                if (query.AfterId is { } after)
                {
                    filtered = query.Descending ? filtered.Where(d => d.Id < after) : filtered.Where(d => d.Id > after);
                }

                var total = query.IncludeTotal ? await filtered.LongCountAsync(ct).ConfigureAwait(false) : -1;
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
                    (DocumentOrder.Id, false) => filtered.OrderBy(d => d.Id),
                    (DocumentOrder.Id, true) => filtered.OrderByDescending(d => d.Id),
                    (_, false) => filtered.OrderBy(d => d.UpdatedAt).ThenBy(d => d.Id),
                    (_, true) => filtered.OrderByDescending(d => d.UpdatedAt).ThenByDescending(d => d.Id),
                };
                var skip = (query.Page - 1) * query.PageSize;
                var entities = await ordered.Skip(skip).Take(query.PageSize).ToListAsync(ct).ConfigureAwait(false);
                return new PagedResult<Document>(entities.ConvertAll(DocumentMapper.FromEntity), total, query.Page, query.PageSize);
            },
            cancellationToken,
            snapshot: true);
    }

    /// <inheritdoc />
    public async Task<PagedResult<SearchHit>> SearchAsync(SearchQuery query, CancellationToken cancellationToken = default)
    {
        QueryGuard.Validate(query);
        var sql = _engine.BuildSearch(query);
        try
        {
            // EF Core cannot express MATCH, bm25() or highlight(): the plain path runs the shared SQL on the context's connection.
            return await ReadAsync(
                (_, db, ct) =>
                {
                    var workspace = _workspaces.TryTake(out var idle) ? idle : new SnippetWorkspace();
                    try
                    {
                        return Task.FromResult(SearchRunner.Run(db, workspace, query, sql, ct));
                    }
                    finally
                    {
                        _workspaces.Add(workspace);
                    }
                },
                cancellationToken,
                snapshot: true,
                translate: false).ConfigureAwait(false);
        }
        catch (DbException e) when (_engine.TranslateSearch(e, query, cancellationToken) is { } typed)
        {
            throw typed;
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<DocumentVersion>> GetVersionsAsync(long id, CancellationToken cancellationToken = default) =>
        ReadAsync<IReadOnlyList<DocumentVersion>>(
            async (context, _, ct) =>
            {
                // The replaced versions from the history, then the current one from the document itself.
                var rows = await context.Versions.Where(v => v.DocumentId == id).OrderBy(v => v.Version)
                    .ToListAsync(ct).ConfigureAwait(false);
                var versions = rows.ConvertAll(DocumentMapper.FromEntity);
                if (await context.Documents.FirstOrDefaultAsync(d => d.Id == id, ct).ConfigureAwait(false) is { } current)
                {
                    versions.Add(DocumentMapper.CurrentVersionOf(current));
                }

                return versions;
            },
            cancellationToken,
            snapshot: true);

    /// <inheritdoc />
    public Task<DocumentVersion?> GetVersionAsync(long id, int version, CancellationToken cancellationToken = default) =>
        ReadAsync(
            async (context, _, ct) =>
            {
                if (await context.Documents.FirstOrDefaultAsync(d => d.Id == id && d.Version == version, ct).ConfigureAwait(false) is { } current)
                {
                    return DocumentMapper.CurrentVersionOf(current);
                }

                var row = await context.Versions.FirstOrDefaultAsync(v => v.DocumentId == id && v.Version == version, ct)
                    .ConfigureAwait(false);
                return row is null ? null : DocumentMapper.FromEntity(row);
            },
            cancellationToken,
            snapshot: true);

    /// <inheritdoc />
    public Task<PagedResult<AuditEntry>> GetAuditLogAsync(AuditQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        QueryGuard.ValidatePaging(query.Page, query.PageSize, nameof(query));
        return ReadAsync(
            async (context, _, ct) =>
            {
                IQueryable<AuditEntryEntity> rows = context.Audit;
                if (query.DocumentId is { } documentId)
                {
                    rows = rows.Where(a => a.DocumentId == documentId);
                }

                var total = await rows.LongCountAsync(ct).ConfigureAwait(false);
                var page = await rows.OrderByDescending(a => a.Id).Skip((query.Page - 1) * query.PageSize).Take(query.PageSize)
                    .ToListAsync(ct).ConfigureAwait(false);
                return new PagedResult<AuditEntry>(page.ConvertAll(DocumentMapper.FromEntity), total, query.Page, query.PageSize);
            },
            cancellationToken,
            snapshot: true);
    }

    /// <inheritdoc />
    public Task<StoreStatistics> GetStatisticsAsync(CancellationToken cancellationToken = default) =>
        ReadAsync(
            async (context, _, ct) =>
            {
                var byStatus = await context.Documents.GroupBy(d => d.Status)
                    .Select(g => new { Status = g.Key, Count = g.LongCount(), Bytes = g.Sum(d => d.SizeBytes) })
                    .ToListAsync(ct).ConfigureAwait(false);
                var byType = await context.Documents.Where(d => d.Status != DocumentStatus.Deleted).GroupBy(d => d.Type)
                    .Select(g => new { Type = g.Key, Count = g.LongCount() })
                    .ToDictionaryAsync(g => g.Type, g => g.Count, ct).ConfigureAwait(false);
                var versions = await context.Versions.LongCountAsync(ct).ConfigureAwait(false) + await context.Documents.LongCountAsync(ct).ConfigureAwait(false);
                var audit = await context.Audit.LongCountAsync(ct).ConfigureAwait(false);
                var tags = await context.Tags.Select(t => t.Tag).Distinct().LongCountAsync(ct).ConfigureAwait(false);
                var pages = await context.Database.SqlQueryRaw<long>(_engine.DatabaseBytesSql)
                    .SingleAsync(ct).ConfigureAwait(false);

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
            },
            cancellationToken,
            snapshot: true);

    /// <summary>Runs one scalar query through the same read pipeline as every public read (tests use it with statements that never end).</summary>
    internal Task<long> ScalarForTestsAsync(string sql, CancellationToken cancellationToken) =>
        ReadAsync((_, db, _) => Task.FromResult(db.Count(sql, [])), cancellationToken);

    /// <summary>
    /// Runs one read: a pooled context on an open connection, cancellation that interrupts a running
    /// statement, optionally one read transaction (so every statement of the call sees one snapshot: a
    /// page and its total agree), and SQLite errors translated into typed exceptions.
    /// </summary>
    private async Task<T> ReadAsync<T>(
        Func<DocStoreDbContext, IQueryExecutor, CancellationToken, Task<T>> body,
        CancellationToken cancellationToken,
        bool snapshot = false,
        bool translate = true)
    {
        try
        {
            return await ReadOnceAsync(body, cancellationToken, snapshot, translate).ConfigureAwait(false);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && _engine.ConnectionLost(e))
        {
            // A server restart broke the connection; a read changes nothing, so it runs once more on a new one.
            return await ReadOnceAsync(body, cancellationToken, snapshot, translate).ConfigureAwait(false);
        }
    }

    private async Task<T> ReadOnceAsync<T>(
        Func<DocStoreDbContext, IQueryExecutor, CancellationToken, Task<T>> body,
        CancellationToken cancellationToken,
        bool snapshot,
        bool translate)
    {
        ThrowIfDisposed();
        cancellationToken.ThrowIfCancellationRequested();
        using var gate = await EnterReadAsync().ConfigureAwait(false);
        await using var context = ReadContexts().Create();
        var database = context.Database;
        try
        {
            await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            var connection = database.GetDbConnection();
            try
            {
                using var interrupt = _engine.InterruptOnCancel(connection, cancellationToken);
                if (!snapshot)
                {
                    return await body(context, new CommandExecutor(connection, null), cancellationToken).ConfigureAwait(false);
                }

                using var transaction = _engine.BeginSnapshot(connection);
                await database.UseTransactionAsync(transaction, cancellationToken).ConfigureAwait(false);
                try
                {
                    return await body(context, new CommandExecutor(connection, transaction), cancellationToken).ConfigureAwait(false);
                }
                finally
                {
                    await database.UseTransactionAsync(null, CancellationToken.None).ConfigureAwait(false);
                }
            }
            finally
            {
                await database.CloseConnectionAsync().ConfigureAwait(false);
            }
        }
        catch (DbException e) when (translate && _engine.Translate(e, "Reading", cancellationToken) is { } typed)
        {
            throw typed;
        }
    }

    private ValueTask<ReadGate.Ticket> EnterReadAsync() =>
        _engine.Encrypted ? _readGate.EnterAsync() : ValueTask.FromResult(default(ReadGate.Ticket));

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

        documents = Between(documents, query.CreatedFrom, query.CreatedTo, from => d => d.CreatedAt >= from, to => d => d.CreatedAt < to);
        documents = Between(documents, query.UpdatedFrom, query.UpdatedTo, from => d => d.UpdatedAt >= from, to => d => d.UpdatedAt < to);
        return documents;
    }

    /// <summary>Applies a time range's bounds that are set, each as UTC ticks to the filter it builds (a closure, so EF Core binds it as a parameter).</summary>
    private static IQueryable<DocumentEntity> Between(
        IQueryable<DocumentEntity> documents,
        DateTimeOffset? from,
        DateTimeOffset? to,
        Func<long, Expression<Func<DocumentEntity, bool>>> atOrAfter,
        Func<long, Expression<Func<DocumentEntity, bool>>> before)
    {
        if (from is { } start)
        {
            documents = documents.Where(atOrAfter(UtcTicks.From(start)));
        }

        if (to is { } end)
        {
            documents = documents.Where(before(UtcTicks.From(end)));
        }

        return documents;
    }
}
