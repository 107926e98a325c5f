namespace DocStore.Fast.Caching;

/// <summary>
/// A result cache key compared part by part (never by joining the parts into one string, where two
/// different queries could spell the same text): the generations, the SQL, every argument value and the
/// extras (a search's highlight markers).
/// </summary>
internal sealed class ResultKey : IEquatable<ResultKey>
{
    private readonly long _generation;
    private readonly long _accessGeneration;
    private readonly string _sql;
    private readonly object[] _values;
    private readonly string[] _extras;
    private readonly int _hash;

    public ResultKey(long generation, long accessGeneration, string sql, IReadOnlyList<DocStore.Sql.SqlArgument> arguments, params string[] extras)
    {
        _generation = generation;
        _accessGeneration = accessGeneration;
        _sql = sql;
        _values = new object[arguments.Count];
        var hash = new HashCode();
        hash.Add(generation);
        hash.Add(accessGeneration);
        hash.Add(sql);
        for (var i = 0; i < _values.Length; i++)
        {
            _values[i] = arguments[i].Value;
            hash.Add(_values[i]);
        }

        _extras = extras;
        foreach (var extra in extras)
        {
            hash.Add(extra);
        }

        _hash = hash.ToHashCode();
    }

    public bool Equals(ResultKey? other) =>
        other is not null
        && _hash == other._hash
        && _generation == other._generation
        && _accessGeneration == other._accessGeneration
        && string.Equals(_sql, other._sql, StringComparison.Ordinal)
        && _values.AsSpan().SequenceEqual(other._values)
        && _extras.AsSpan().SequenceEqual(other._extras);

    public override bool Equals(object? obj) => Equals(obj as ResultKey);

    public override int GetHashCode() => _hash;
}
