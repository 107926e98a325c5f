namespace DocStore.Sql;

/// <summary>Argument checks shared by every implementation of the read API, so both paths refuse the same input.</summary>
internal static class QueryGuard
{
    /// <summary>The most ids <see cref="IDocumentStore.GetManyAsync"/> accepts in one call.</summary>
    public const int MaxGetManyIds = 10_000;

    public static void ValidatePaging(int page, int pageSize, string paramName)
    {
        if (pageSize is < 1 or > DocumentQueryBase.MaxPageSize)
        {
            throw new ArgumentOutOfRangeException(paramName, pageSize, $"PageSize must be between 1 and {DocumentQueryBase.MaxPageSize}.");
        }

        if (page < 1 || (long)(page - 1) * pageSize > int.MaxValue)
        {
            throw new ArgumentOutOfRangeException(paramName, page, "Page must be 1 or more, and (Page - 1) * PageSize must fit in an int.");
        }
    }

    public static void Validate(DocumentQueryBase query)
    {
        ArgumentNullException.ThrowIfNull(query);
        ValidatePaging(query.Page, query.PageSize, nameof(query));
        if (query.Status is { } s && !Enum.IsDefined(s))
        {
            throw new ArgumentOutOfRangeException(nameof(query), s, "Unknown status.");
        }

        if (query.Tags is { Count: > 32 })
        {
            throw new ArgumentException("A query may filter on at most 32 tags.", nameof(query));
        }

        if (query.Metadata is { Count: > 16 })
        {
            throw new ArgumentException("A query may filter on at most 16 metadata keys.", nameof(query));
        }

        if (query is ListQuery list && !Enum.IsDefined(list.OrderBy))
        {
            throw new ArgumentOutOfRangeException(nameof(query), list.OrderBy, "Unknown order.");
        }

        if (query is ListQuery { AfterId: not null } keyset && (keyset.OrderBy != DocumentOrder.Id || keyset.Page != 1))
        {
            throw new ArgumentException("AfterId (keyset paging) needs OrderBy = Id and Page = 1.", nameof(query));
        }
    }

    /// <summary>Distinct ids in first-seen order; throws when there are too many.</summary>
    public static List<long> DistinctIds(IEnumerable<long> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var seen = new HashSet<long>();
        var list = new List<long>();
        foreach (var id in ids)
        {
            if (seen.Add(id))
            {
                list.Add(id);
                if (list.Count > MaxGetManyIds)
                {
                    throw new ArgumentException($"GetManyAsync takes at most {MaxGetManyIds} ids per call.", nameof(ids));
                }
            }
        }

        return list;
    }

    /// <summary>Tags in a filter, normalised as stored tags are (trimmed, lowercase), empties dropped.</summary>
    public static List<string> NormalizedFilterTags(IReadOnlyCollection<string>? tags)
    {
        var list = new List<string>();
        if (tags is null)
        {
            return list;
        }

        foreach (var tag in tags)
        {
            var t = Validation.DocumentValidator.NormalizeTag(tag ?? string.Empty);
            if (t.Length > 0 && !list.Contains(t))
            {
                list.Add(t);
            }
        }

        return list;
    }
}
