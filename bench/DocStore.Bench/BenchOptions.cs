using System.Globalization;

namespace DocStore.Bench;

/// <summary>Command-line options shared by the compare and ycsb modes.</summary>
public sealed class BenchOptions
{
    public string Mode { get; private set; } = "compare";

    public int Documents { get; private set; } = 100_000;

    public int SizeBytes { get; private set; } = 1024;

    public int Threads { get; private set; } = 10;

    public double Seconds { get; private set; } = 3;

    public bool Quick { get; private set; }

    /// <summary>
    /// How many rounds compare's read workloads are measured in: each round runs every read cell for its share of
    /// <see cref="Seconds"/>, one after another, so every system meets the machine's slower and faster minutes alike.
    /// </summary>
    public int Rounds { get; private set; } = 3;

    public string? JsonPath { get; private set; }

    public string? CorpusFolder { get; private set; }

    public string? DatabaseFolder { get; private set; }

    public int Seed { get; private set; } = 42;

    public bool Keep { get; private set; }

    /// <summary>Every system on an SQLCipher-encrypted file (a fixed raw 256-bit key).</summary>
    public bool Encrypted { get; private set; }

    /// <summary>The key used with --encrypted (a benchmark key, not a secret).</summary>
    public EncryptionKey? Key => Encrypted ? BenchKey : null;

    /// <summary>The fixed raw 256-bit key of every encrypted run (the cold-start children use it too).</summary>
    public static EncryptionKey BenchKey => EncryptionKey.FromBytes(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());

    public string[]? OnlyWorkloads { get; private set; }

    /// <summary>Only these systems (--systems), e.g. to profile one of them alone.</summary>
    public string[]? OnlySystems { get; private set; }

    /// <summary>Page size of the database file (null: the store's own choice for a new file).</summary>
    public int? PageSize { get; private set; }

    /// <summary>compare: the engine the stores run on (--engine): sqlite (the default) or postgresql.</summary>
    public string Engine { get; private set; } = "sqlite";

    /// <summary>--engine postgresql: a connection string to the server (--postgres, else DOCSTORE_BENCH_POSTGRES); the bench makes and drops a database of its own there.</summary>
    public string? PostgresServer { get; private set; } = Environment.GetEnvironmentVariable("DOCSTORE_BENCH_POSTGRES");

    /// <summary>Whether the stores run on PostgreSQL.</summary>
    public bool OnPostgreSql => Engine == "postgresql";

    /// <summary>The shortest warm-up of a cell; it goes on while the JIT still compiles, up to <see cref="WarmupLimit"/>.</summary>
    public TimeSpan Warmup => TimeSpan.FromSeconds(Quick ? 0.05 : Math.Min(1.0, Seconds / 4));

    /// <summary>The longest warm-up of a cell (a smoke run does not wait for the JIT).</summary>
    public TimeSpan WarmupLimit => Quick ? Warmup : TimeSpan.FromSeconds(10);

    /// <summary>The warm-up of a cell's later rounds: its threads, code and caches are warm already.</summary>
    public TimeSpan RoundWarmup => TimeSpan.FromSeconds(Quick ? 0.01 : 0.2);

    public TimeSpan Duration => TimeSpan.FromSeconds(Seconds);

    /// <summary>A read cell's measured time in each round.</summary>
    public TimeSpan RoundDuration => Duration / Rounds;

    public static string Usage => $$"""
        usage: DocStore.Bench [compare|ycsb|micro] [options]
          compare   (default) every workload on every system, side by side, on one database file
          ycsb      YCSB core workloads A-F for ef-baseline and optimized
          micro     BenchmarkDotNet micro-benchmarks; later arguments go to BenchmarkDotNet (--filter, --job short)
        options:
          --docs N        documents to load (default 100000; --quick: 3000)
          --size BYTES    average content size of generated documents (default 1024)
          --threads N     threads for get-zipf and ycsb (default 10)
          --seconds S     measured seconds per cell (default 3; --quick: 0.25)
          --rounds N      compare: measure the read cells in N interleaved rounds of S/N seconds each (default 3; --quick: 1)
          --quick         a CI-sized run
          --json FILE     also write the results as JSON
          --corpus DIR    import real files (HTML stripped) instead of generated text, replicated up to --docs
          --db-dir DIR    where to build the database (default: a new temp folder)
          --workloads a,b only these workloads
          --systems a,b   compare: only these systems ({{string.Join(", ", Workloads.SystemFactory.All)}})
          --seed N        generator seed (default 42)
          --keep          keep the database file afterwards
          --encrypted     encrypt the database with SQLCipher (needs libsqlcipher1; see README)
          --page-size N   create the file with this SQLite page size (512-65536, a power of two; not with --encrypted)
          --engine E      compare: sqlite (default) or postgresql (the documents are loaded into SQLite, then copied to
                          a database the bench creates on --postgres CONNECTION-STRING, or DOCSTORE_BENCH_POSTGRES;
                          scripts/bench-postgresql.sh starts a throw-away server and runs it)
        """;

    public static BenchOptions Parse(string[] args)
    {
        var options = new BenchOptions();
        var i = 0;
        if (args.Length > 0 && !args[0].StartsWith('-'))
        {
            options.Mode = args[0];
            i = 1;
        }

        var docsSet = false;
        var secondsSet = false;
        var roundsSet = false;
        for (; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.\n{Usage}");
            switch (args[i])
            {
                case "--docs": options.Documents = int.Parse(Value(), CultureInfo.InvariantCulture); docsSet = true; break;
                case "--size": options.SizeBytes = int.Parse(Value(), CultureInfo.InvariantCulture); break;
                case "--threads": options.Threads = int.Parse(Value(), CultureInfo.InvariantCulture); break;
                case "--seconds": options.Seconds = double.Parse(Value(), CultureInfo.InvariantCulture); secondsSet = true; break;
                case "--rounds": options.Rounds = int.Parse(Value(), CultureInfo.InvariantCulture); roundsSet = true; break;
                case "--quick": options.Quick = true; break;
                case "--json": options.JsonPath = Value(); break;
                case "--corpus": options.CorpusFolder = Value(); break;
                case "--db-dir": options.DatabaseFolder = Value(); break;
                case "--workloads": options.OnlyWorkloads = Names(Value()); break;
                case "--systems": options.OnlySystems = Names(Value()); break;
                case "--seed": options.Seed = int.Parse(Value(), CultureInfo.InvariantCulture); break;
                case "--keep": options.Keep = true; break;
                case "--encrypted": options.Encrypted = true; break;
                case "--page-size": options.PageSize = int.Parse(Value(), CultureInfo.InvariantCulture); break;
                case "--engine": options.Engine = Value(); break;
                case "--postgres": options.PostgresServer = Value(); break;
                case "-h" or "--help": throw new ArgumentException(Usage);
                default: throw new ArgumentException($"Unknown option '{args[i]}'.\n{Usage}");
            }
        }

        if (options.Quick)
        {
            options.Documents = docsSet ? options.Documents : 3000;
            options.Seconds = secondsSet ? options.Seconds : 0.25;
            options.Rounds = roundsSet ? options.Rounds : 1;
        }

        if (options.Documents < 100 || options.Threads < 1 || options.Seconds <= 0 || options.SizeBytes < 64 || options.Rounds < 1)
        {
            throw new ArgumentException($"--docs must be >= 100, --threads >= 1, --seconds > 0, --size >= 64, --rounds >= 1.\n{Usage}");
        }

        if (options.PageSize is { } pageSize && (pageSize is < 512 or > 65536 || (pageSize & (pageSize - 1)) != 0 || options.Encrypted))
        {
            throw new ArgumentException($"--page-size must be a power of two from 512 to 65536, and cannot be combined with --encrypted.\n{Usage}");
        }

        if (options.Engine is not ("sqlite" or "postgresql") || (options.OnPostgreSql && (string.IsNullOrEmpty(options.PostgresServer) || options.Encrypted || options.Mode != "compare")))
        {
            throw new ArgumentException($"--engine is sqlite or postgresql; postgresql needs --postgres (or DOCSTORE_BENCH_POSTGRES), runs compare only, and is not --encrypted.\n{Usage}");
        }

        return options;
    }

    public bool Runs(string workload) => Allows(OnlyWorkloads, workload);

    /// <summary>Whether --systems (if given) names <paramref name="system"/>.</summary>
    public bool Uses(string system) => Allows(OnlySystems, system);

    private static string[] Names(string list) => list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static bool Allows(string[]? only, string name) => only is null || only.Contains(name, StringComparer.Ordinal);
}
