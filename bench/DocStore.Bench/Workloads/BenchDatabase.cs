using System.Diagnostics;
using DocStore.Bench.Corpus;
using Microsoft.Data.Sqlite;

namespace DocStore.Bench.Workloads;

/// <summary>The database every system is measured on: built once per run, then shared, plus what workloads need to know about it.</summary>
public sealed class BenchDatabase : IAsyncDisposable
{
    private readonly string _folder;
    private readonly bool _ownsFolder;
    private readonly bool _keep;

    private BenchDatabase(string folder, bool ownsFolder, bool keep, string path)
    {
        _folder = folder;
        _ownsFolder = ownsFolder;
        _keep = keep;
        Path = path;
    }

    public string Path { get; }

    /// <summary>With --engine postgresql: the connection string of the bench's own database, holding a copy of the file's documents with the same ids.</summary>
    public string? PostgresConnection { get; private set; }

    private string? _postgresServer;

    /// <summary>The file's SQLite page size.</summary>
    public long PageSize { get; private set; }

    public EncryptionKey? Key { get; private set; }

    public string CorpusName { get; private set; } = "synthetic";

    /// <summary>UTF-8 bytes of all documents' content after loading.</summary>
    public long TextBytes { get; private set; }

    /// <summary>The database file's size after loading, optimizing and checkpointing.</summary>
    public long FileBytes { get; private set; }

    /// <summary>Storage overhead: file bytes per byte of text (the writes issue's target is at most 2.5).</summary>
    public double BytesPerTextByte => TextBytes == 0 ? 0 : (double)FileBytes / TextBytes;

    public Func<int, NewDocument> NewDocument { get; private set; } = null!;

    public IReadOnlyList<string> Types { get; private set; } = [];

    public List<Document> Documents { get; private set; } = [];

    public long[] Ids { get; private set; } = [];

    public string[] SelectiveTerms { get; private set; } = [];

    public string[] CommonTerms { get; private set; } = [];

    public int DocumentCount { get; private set; }

    public static async Task<BenchDatabase> BuildAsync(BenchOptions options, Action<string> log)
    {
        var ownsFolder = options.DatabaseFolder is null;
        var folder = options.DatabaseFolder ?? System.IO.Path.Combine(System.IO.Path.GetTempPath(), "docstore-bench-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        var path = System.IO.Path.Combine(folder, $"bench-{options.Documents}.db");
        foreach (var file in new[] { path, path + "-wal", path + "-shm" })
        {
            File.Delete(file);
        }

        var database = new BenchDatabase(folder, ownsFolder, options.Keep, path) { Key = options.Key };
        if (options.PageSize is { } pageSize)
        {
            // The page size is fixed once the file has its first page; the store then creates its schema in this
            // empty WAL file as in a new one (auto-vacuum as the store would set it, which also needs the empty file).
            using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = $"PRAGMA page_size = {pageSize}; PRAGMA auto_vacuum = INCREMENTAL; PRAGMA journal_mode = WAL;";
            command.ExecuteNonQuery();
        }

        if (options.CorpusFolder is { } corpusFolder)
        {
            log($"== corpus: reading {corpusFolder}");
            var files = await FileCorpus.LoadAsync(corpusFolder);
            log($"  {files.PageCount:N0} pages; replicated with variations up to {options.Documents:N0} documents");
            database.NewDocument = files.Document;
            database.Types = files.Types;
            database.CorpusName = $"files:{corpusFolder} ({files.PageCount} pages)";
        }
        else
        {
            var synthetic = new SyntheticCorpus(options.Seed, options.SizeBytes);
            database.NewDocument = synthetic.Document;
            database.Types = synthetic.Types;
            database.CorpusName = $"synthetic (Zipf vocabulary of {SyntheticCorpus.VocabularySize:N0} words, ~{options.SizeBytes} B per document, seed {options.Seed})";
        }

        log($"== load: {options.Documents:N0} documents into {path}");
        var watch = Stopwatch.StartNew();
        await using (var store = new LocalStorageSystem(new DocStoreOptions { DatabasePath = path, ActorProvider = () => "bench", EncryptionKey = database.Key }))
        {
            await CorpusLoader.LoadAsync(store, database.NewDocument, options.Documents, log);
            log("  optimizing the full-text index and checkpointing");
            await store.OptimizeAsync();
            await store.CheckpointAsync();
            var stats = await store.GetStatisticsAsync();
            database.TextBytes = stats.TotalContentBytes;
            database.FileBytes = stats.DatabaseBytes;
            using (var connection = database.Open())
            using (var command = connection.CreateCommand())
            {
                command.CommandText = "PRAGMA page_size";
                // SQLCipher answers this pragma as text, SQLite as an integer.
                database.PageSize = Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
            }

            log($"  {stats.DocumentCount:N0} documents, {stats.TotalContentBytes / 1048576.0:N1} MiB of text, file {stats.DatabaseBytes / 1048576.0:N1} MiB ({database.BytesPerTextByte:N2} bytes on disk per byte of text), {watch.Elapsed.TotalSeconds:N1} s");

            var ids = new List<long>();
            using (var connection = database.Open())
            using (var command = connection.CreateCommand())
            {
                command.CommandText = "SELECT id FROM documents ORDER BY id";
                using var reader = command.ExecuteReader();
                while (reader.Read())
                {
                    ids.Add(reader.GetInt64(0));
                }
            }

            database.Ids = ids.ToArray();
            database.DocumentCount = ids.Count;
            foreach (var chunk in ids.Chunk(10_000))
            {
                database.Documents.AddRange(await store.GetManyAsync(chunk));
            }
        }

        database.FindSearchTerms(options.Seed, log);
        if (options.OnPostgreSql)
        {
            await database.CopyToPostgreSqlAsync(options.PostgresServer!, log);
        }

        return database;
    }

    /// <summary>Creates a database of the bench's own on the server and copies the loaded store into it (ids kept), then lets the server gather its statistics.</summary>
    private async Task CopyToPostgreSqlAsync(string server, Action<string> log)
    {
        var name = "docstore_bench_" + Guid.NewGuid().ToString("N")[..8];
        _postgresServer = server;
        AdminPostgres($"CREATE DATABASE {name}");
        PostgresConnection = new Npgsql.NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString;
        log($"== copy to PostgreSQL database {name}");
        var watch = Stopwatch.StartNew();
        var options = new DocStoreOptions { Engine = DocStoreEngine.PostgreSql, ConnectionString = PostgresConnection, ActorProvider = () => "bench" };
        await using (var source = new LocalStorageSystem(new DocStoreOptions { DatabasePath = Path, ActorProvider = () => "bench" }))
        {
            var copied = await source.CopyToAsync(options);
            log($"  {copied.Documents:N0} documents in {watch.Elapsed.TotalSeconds:N1} s; verify: {(copied.Verification.IsHealthy ? "healthy" : copied.Verification.ToString())}");
        }

        await using var store = new LocalStorageSystem(options);
        await store.OptimizeAsync(vacuum: true);
        var stats = await store.GetStatisticsAsync();
        log($"  database {stats.DatabaseBytes / 1048576.0:N1} MiB ({(double)stats.DatabaseBytes / TextBytes:N2} bytes per byte of text, the whole database)");
    }

    private void AdminPostgres(string sql) => AdminPostgres(_postgresServer!, sql);

    /// <summary>Runs <paramref name="sql"/> (creating or dropping a database) on <paramref name="server"/>, outside any store.</summary>
    internal static void AdminPostgres(string server, string sql)
    {
        using var connection = new Npgsql.NpgsqlConnection(server);
        connection.Open();
        using var command = new Npgsql.NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }

    public async ValueTask DisposeAsync()
    {
        await Task.Yield();
        if (_keep)
        {
            return;
        }

        SqliteConnection.ClearAllPools();
        if (PostgresConnection is not null)
        {
            Npgsql.NpgsqlConnection.ClearAllPools();
            AdminPostgres($"DROP DATABASE IF EXISTS {new Npgsql.NpgsqlConnectionStringBuilder(PostgresConnection).Database} WITH (FORCE)");
        }

        try
        {
            if (_ownsFolder)
            {
                Directory.Delete(_folder, recursive: true);
            }
            else
            {
                foreach (var file in new[] { Path, Path + "-wal", Path + "-shm" })
                {
                    File.Delete(file);
                }
            }
        }
        catch (IOException)
        {
        }
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection($"Data Source={Path};Mode=ReadWrite;Pooling=False");
        connection.Open();
        if (Key is not null)
        {
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA key = " + KeyLiteral(Key);
            command.ExecuteNonQuery();
        }

        return connection;
    }

    /// <summary>The bench's own raw connections key themselves; the key is the bench's fixed test key.</summary>
    internal static string KeyLiteral(EncryptionKey key) => key.PragmaValue;

    /// <summary>
    /// Picks query terms from the index's own vocabulary (fts5vocab): selective terms are found in
    /// fewer than 1% of documents, common ones in more than 10%. Each is checked with a real MATCH.
    /// </summary>
    private void FindSearchTerms(int seed, Action<string> log)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "CREATE VIRTUAL TABLE temp.vocab USING fts5vocab(main, 'documents_fts', 'row')";
        command.ExecuteNonQuery();
        var n = DocumentCount;
        var candidates = new List<(string Term, long Docs)>();
        command.CommandText = "SELECT term, doc FROM temp.vocab WHERE length(term) >= 4";
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                var term = reader.GetString(0);
                if (term.All(char.IsAsciiLetterLower))
                {
                    candidates.Add((term, reader.GetInt64(1)));
                }
            }
        }

        var random = new Random(seed);
        var selectiveMax = Math.Max(2, n / 100);
        var selective = candidates.Where(c => c.Docs >= 2 && c.Docs < selectiveMax).OrderBy(_ => random.Next()).Take(4000).ToList();
        var common = candidates.Where(c => c.Docs > n / 10).OrderByDescending(c => c.Docs).Take(50).ToList();

        command.CommandText = "SELECT count(*) FROM documents_fts WHERE documents_fts MATCH $q";
        var q = command.Parameters.Add("$q", SqliteType.Text);
        long Hits(string term)
        {
            q.Value = "\"" + term + "\"";
            return (long)command.ExecuteScalar()!;
        }

        SelectiveTerms = selective.Where(c => Hits(c.Term) is > 0 and var h && h < selectiveMax).Select(c => c.Term).Take(1000).ToArray();
        CommonTerms = common.Where(c => Hits(c.Term) > n / 10).Select(c => c.Term).Take(20).ToArray();
        if (SelectiveTerms.Length == 0)
        {
            SelectiveTerms = candidates.OrderBy(c => c.Docs).Take(20).Select(c => c.Term).ToArray();
        }

        if (CommonTerms.Length == 0)
        {
            CommonTerms = candidates.OrderByDescending(c => c.Docs).Take(5).Select(c => c.Term).ToArray();
        }

        log($"  search terms: {SelectiveTerms.Length} selective (in < 1% of documents), {CommonTerms.Length} common (in > 10%): e.g. '{SelectiveTerms[0]}', '{CommonTerms[0]}'");
    }
}
