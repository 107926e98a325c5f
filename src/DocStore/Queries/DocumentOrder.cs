namespace DocStore;

/// <summary>The sort keys a listing may use (an allow-list: nothing else reaches SQL).</summary>
public enum DocumentOrder
{
    /// <summary>Last change time.</summary>
    UpdatedAt = 0,

    /// <summary>Creation time.</summary>
    CreatedAt = 1,

    /// <summary>Title, case-insensitive (SQLite NOCASE: ASCII letters folded).</summary>
    Title = 2,

    /// <summary>Recorded access count.</summary>
    AccessCount = 3,

    /// <summary>Id, which is insertion order; the order for keyset paging with <see cref="ListQuery.AfterId"/>.</summary>
    Id = 4,
}
