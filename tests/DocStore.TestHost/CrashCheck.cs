using System.Globalization;
using Microsoft.Data.Sqlite;

namespace DocStore.TestHost;

/// <summary>
/// What a crash campaign knows: the last acknowledged state of every document its writers touched, and the
/// check run on the file after each kill.
/// </summary>
internal sealed class CrashCheck
{
    private readonly Dictionary<long, (string Kind, int Version, string? Hash)> _acked = [];
    private readonly HashSet<long> _purging = [];

    /// <summary>Acknowledged writes seen so far.</summary>
    public int Acknowledged { get; private set; }

    /// <summary>Whether a campaign's target is a PostgreSQL connection string rather than a file.</summary>
    public static bool IsPostgreSql(string target) => target.StartsWith("Host=", StringComparison.OrdinalIgnoreCase);

    /// <summary>The options of the store at <paramref name="target"/>.</summary>
    public static DocStoreOptions Options(string target, EncryptionKey? key) => IsPostgreSql(target)
        ? new DocStoreOptions { Engine = DocStoreEngine.PostgreSql, ConnectionString = target }
        : new DocStoreOptions { DatabasePath = target, EncryptionKey = key };

    /// <summary>The key of an encrypted campaign, from its passphrase.</summary>
    public static EncryptionKey Key(string passphrase) => EncryptionKey.FromPassphrase(passphrase);

    /// <summary>Records one "ack ..." line of a writer.</summary>
    public void Record(string line)
    {
        var w = line.Split(' ');
        if (w[0] == "will" && w[1] == "purge")
        {
            _purging.Add(long.Parse(w[2], CultureInfo.InvariantCulture));
            return;
        }

        if (w[0] != "ack")
        {
            return;
        }
        Acknowledged++;
        var id = long.Parse(w[2], CultureInfo.InvariantCulture);
        if (w[1] is "purge" or "nopurge")
        {
            _purging.Remove(id);
            if (w[1] == "purge")
            {
                _acked[id] = ("purge", 0, null);
            }

            return;
        }

        // Concurrent writers may print their acknowledgements out of order: the highest version is the last.
        var version = int.Parse(w[3], CultureInfo.InvariantCulture);
        if (_acked.TryGetValue(id, out var known) && (known.Kind == "purge" || known.Version >= version))
        {
            return;
        }

        _acked[id] = w[1] == "delete" ? ("delete", version, null) : ("live", version, w[4]);
    }

    /// <summary>How many writes of one document can be under way at a kill (each writer keeps to its own documents).</summary>
    public const int InFlight = 1;

    /// <summary>
    /// Checks the file after a kill: it verifies (integrity_check, FTS5 integrity-check, schema, every document
    /// with its version row, tag rows, index entry and audit row), it is in WAL mode, and every acknowledged
    /// write is there (at its version, or one write further when the killed write had committed but was not
    /// yet acknowledged); no acknowledged hard delete came back. Returns the problems found.
    /// </summary>
    public async Task<List<string>> CheckAsync(string path, EncryptionKey? key)
    {
        var problems = new List<string>();
        var postgres = IsPostgreSql(path);
        VerificationReport report;
        if (postgres)
        {
            await using var store = new LocalStorageSystem(Options(path, key));
            report = await store.VerifyAsync();
        }
        else
        {
            report = await StoreFile.VerifyAsync(path, key);
        }

        if (!report.IsHealthy)
        {
            problems.Add("verify: " + report);
        }

        using System.Data.Common.DbConnection connection = postgres ? new Npgsql.NpgsqlConnection(path) : new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        if (key is not null)
        {
            using var keying = connection.CreateCommand();
            keying.CommandText = "PRAGMA key = " + key.PragmaValue;
            keying.ExecuteNonQuery();
        }

        if (!postgres && Scalar(connection, "PRAGMA journal_mode") as string != "wal")
        {
            problems.Add("the file is not in WAL mode");
        }

        var hex = postgres ? "encode(content_hash, 'hex')" : "lower(hex(content_hash))";

        // What the file now holds becomes the baseline: a write that committed unacknowledged before this kill
        // is part of the durable state the next writer builds on.
        var observed = new List<(long Id, (string Kind, int Version, string? Hash) State)>();
        foreach (var (id, (kind, version, hash)) in _acked)
        {
            var row = Row(connection, $"SELECT version, status FROM documents WHERE id = {id}");
            if (kind == "purge")
            {
                if (row is not null)
                {
                    problems.Add($"document {id} was hard-deleted (acknowledged) but is back");
                }

                continue;
            }

            if (row is null && _purging.Contains(id))
            {
                // The write under way at the kill was this hard delete, and it committed.
                observed.Add((id, ("purge", 0, null)));
                continue;
            }

            if (row is null)
            {
                problems.Add($"document {id} at v{version} was acknowledged but is missing");
                continue;
            }

            var current = (long)row.Value.Version;
            if (current < version || current > version + InFlight)
            {
                problems.Add($"document {id} is at v{current}; v{version} was acknowledged last");
            }

            // The acknowledged version is the current one, or (when the killed write had committed) the last in the history.
            var snapshot = current == version
                ? Row(connection, $"SELECT {hex}, status FROM documents WHERE id = {id}", hashColumn: true)
                : Row(connection, $"SELECT {hex}, status FROM document_versions WHERE document_id = {id} AND version = {version}", hashColumn: true);
            if (snapshot is null)
            {
                problems.Add($"document {id} has no row for its acknowledged v{version}");
            }
            else if (kind == "live" && snapshot.Value.Hash != hash)
            {
                problems.Add($"document {id} v{version} holds other content than acknowledged");
            }
            else if (kind == "delete" && snapshot.Value.Status != (long)DocumentStatus.Deleted)
            {
                problems.Add($"document {id} v{version} was acknowledged as deleted but is not");
            }

            if (kind == "delete" && current == version && row.Value.Status != (long)DocumentStatus.Deleted)
            {
                problems.Add($"document {id} is not deleted at v{version}");
            }

            if (current != version && Row(connection, $"SELECT {hex}, status FROM documents WHERE id = {id}", hashColumn: true) is { } now)
            {
                observed.Add((id, (now.Status == (long)DocumentStatus.Deleted ? "delete" : "live", (int)current, now.Hash)));
            }
        }

        foreach (var (id, state) in observed)
        {
            _acked[id] = state;
        }

        _purging.Clear();
        return problems;
    }

    private static object? Scalar(System.Data.Common.DbConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    private static (long Version, long Status, string? Hash)? Row(System.Data.Common.DbConnection connection, string sql, bool hashColumn = false)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        if (!reader.Read())
        {
            return null;
        }

        long Number(int column) => Convert.ToInt64(reader.GetValue(column), CultureInfo.InvariantCulture);
        return hashColumn ? (0, Number(1), reader.GetString(0)) : (Number(0), Number(1), null);
    }
}
