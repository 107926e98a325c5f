using System.Data.Common;
using DocStore.Data;
using DocStore.Internal;

namespace DocStore.Sql;

/// <summary>
/// The one list of the columns a document row and a version row share (<see cref="StoredContent"/>):
/// their names and order for statement text, and the parameters that bind them. Every raw statement that
/// writes them is built from here.
/// </summary>
internal sealed class ContentColumns
{
    /// <summary>Each content property of the entities (<see cref="ContentRow"/>) with its column, in <see cref="StoredContent"/>'s order.</summary>
    public static readonly IReadOnlyList<(string Property, string Column)> Properties =
    [
        (nameof(ContentRow.Title), "title"),
        (nameof(ContentRow.Type), "type"),
        (nameof(ContentRow.Status), "status"),
        (nameof(ContentRow.Content), "content"),
        (nameof(ContentRow.Format), "format"),
        (nameof(ContentRow.Language), "language"),
        (nameof(ContentRow.SourcePath), "source_path"),
        (nameof(ContentRow.Tags), "tags"),
        (nameof(ContentRow.Metadata), "metadata"),
        (nameof(ContentRow.ContentHash), "content_hash"),
        (nameof(ContentRow.SizeBytes), "size_bytes"),
    ];

    /// <summary>Column names, in <see cref="StoredContent"/>'s order.</summary>
    public static readonly IReadOnlyList<string> Names = [.. Properties.Select(p => p.Column)];

    private readonly DbParameter[] _parameters;

    /// <summary>Adds a <c>$column</c> parameter per column to <paramref name="command"/> (<c>@column</c> with <paramref name="marker"/> '@', as Npgsql names them).</summary>
    public ContentColumns(DbCommand command, char marker = '$')
        : this(command.CreateParameter, command.Parameters, marker)
    {
    }

    /// <summary>The same for one command of a batch.</summary>
    public ContentColumns(DbBatchCommand command, char marker)
        : this(command.CreateParameter, command.Parameters, marker)
    {
    }

    private ContentColumns(Func<DbParameter> create, DbParameterCollection parameters, char marker)
    {
        _parameters = new DbParameter[Names.Count];
        for (var i = 0; i < Names.Count; i++)
        {
            var parameter = create();
            parameter.ParameterName = marker + Names[i];
            parameters.Add(parameter);
            _parameters[i] = parameter;
        }
    }

    /// <summary>"title, type, ..." for a column list.</summary>
    public static string NameList => string.Join(", ", Names);

    /// <summary>"$title, $type, ..." for a VALUES list.</summary>
    public static string ParameterList => ParametersWith('$');

    /// <summary>"@title, @type, ..." (or another <paramref name="marker"/>) for a VALUES list.</summary>
    public static string ParametersWith(char marker) => string.Join(", ", Names.Select(n => marker + n));

    /// <summary>"title = $title, ..." for an UPDATE.</summary>
    public static string Assignments => string.Join(", ", Names.Select(n => $"{n} = ${n}"));

    /// <summary>Reads the columns from a row that selected <see cref="NameList"/> from ordinal <paramref name="first"/> on.</summary>
    public static StoredContent Read(DbDataReader r, int first = 0) => new(
        r.GetString(first),
        r.GetString(first + 1),
        (DocumentStatus)r.GetInt32(first + 2),
        r.GetString(first + 3),
        r.GetString(first + 4),
        r.IsDBNull(first + 5) ? null : r.GetString(first + 5),
        r.IsDBNull(first + 6) ? null : r.GetString(first + 6),
        r.GetString(first + 7),
        r.GetString(first + 8),
        StoredBytes.ToHash(r.GetFieldValue<byte[]>(first + 9)),
        r.GetInt64(first + 10));

    public void Bind(in StoredContent c)
    {
        _parameters[0].Value = c.Title;
        _parameters[1].Value = c.Type;
        _parameters[2].Value = (long)c.Status;
        _parameters[3].Value = c.Content;
        _parameters[4].Value = c.Format;
        _parameters[5].Value = (object?)c.Language ?? DBNull.Value;
        _parameters[6].Value = (object?)c.SourcePath ?? DBNull.Value;
        _parameters[7].Value = c.Tags;
        _parameters[8].Value = c.Metadata;
        _parameters[9].Value = StoredBytes.FromHash(c.ContentHash);
        _parameters[10].Value = c.SizeBytes;
    }
}
