using System.Text;
using DocStore.Internal;
using Microsoft.Data.Sqlite;

namespace DocStore.Bench.Micro.Replaced;

/// <summary>
/// The write of read counts as it was before 2026-11-24: one JSON array of [id, reads, time] triples, each row's
/// three fields read back by SQLite. Kept to measure the store's current write against it (<see cref="AccessCountWriteBenchmarks"/>).
/// </summary>
internal sealed class TripleAccessCountWriter : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly SqliteCommand _command;

    public TripleAccessCountWriter(string path)
    {
        _connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        _connection.Open();
        _command = _connection.CreateCommand();
        _command.CommandText = "UPDATE document_reads SET access_count = access_count + a.n, last_accessed_at = max(ifnull(last_accessed_at, 0), a.at) "
            + "FROM (SELECT value ->> 0 AS id, value ->> 1 AS n, value ->> 2 AS at FROM json_each($updates)) AS a WHERE document_reads.document_id = a.id";
        _command.Parameters.Add("$updates", SqliteType.Text);
    }

    public int Write(IReadOnlyList<AccessUpdate> updates, long readUtcTicks)
    {
        var json = new StringBuilder(updates.Count * 32).Append('[');
        foreach (var update in updates)
        {
            json.Append('[').Append(update.DocumentId).Append(',').Append(update.Count).Append(',').Append(readUtcTicks).Append("],");
        }

        json[^1] = ']';
        _command.Parameters[0].Value = json.ToString();
        return _command.ExecuteNonQuery();
    }

    public void Dispose()
    {
        _command.Dispose();
        _connection.Dispose();
    }
}
