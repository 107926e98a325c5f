using System.Diagnostics;

namespace DocStore.TestHost;

/// <summary>
/// A PostgreSQL 15 cluster of a test's own (initdb in a temporary folder, loopback only), for tests that stop
/// the server itself, which the cluster scripts/test.sh shares between tests cannot take. Durability settings are
/// the server's defaults (fsync on). The server refuses to run as root, so as root it runs as the postgres user.
/// </summary>
public sealed class PostgresCluster : IDisposable
{
    private const string Bin = "/usr/lib/postgresql/15/bin";
    private readonly string _dir;

    public PostgresCluster()
    {
        if (!File.Exists(Path.Combine(Bin, "initdb")))
        {
            throw new InvalidOperationException($"PostgreSQL 15 is not installed ({Bin}); scripts/test.sh installs it.");
        }

        _dir = Directory.CreateTempSubdirectory("docstore-pgcluster-").FullName;
        Run("chmod", false, "755", _dir);
        if (Environment.UserName == "root")
        {
            Run("chown", false, "postgres:postgres", _dir);
        }

        Port = FreePort();
        Run(Path.Combine(Bin, "initdb"), true, "-D", Data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8");
    }

    public int Port { get; }

    public string ConnectionString => $"Host=127.0.0.1;Port={Port};Username=postgres;Database=postgres;Timeout=5";

    private string Data => Path.Combine(_dir, "data");

    public void Start() =>
        Run(Path.Combine(Bin, "pg_ctl"), true, "-D", Data, "-l", Path.Combine(_dir, "server.log"), "-w", "-t", "60",
            "-o", $"-c listen_addresses=127.0.0.1 -p {Port} -k {_dir}", "start");

    /// <summary><c>pg_ctl -m immediate</c>: every server process quits at once, without a checkpoint, as in a crash; the next start recovers from the WAL.</summary>
    public void StopImmediately() => Run(Path.Combine(Bin, "pg_ctl"), true, "-D", Data, "-m", "immediate", "-w", "stop");

    public void Dispose()
    {
        try
        {
            Run(Path.Combine(Bin, "pg_ctl"), true, "-D", Data, "-m", "immediate", "-w", "stop");
        }
        catch (InvalidOperationException)
        {
            // Already stopped.
        }

        Directory.Delete(_dir, recursive: true);
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    private void Run(string program, bool asServerUser, params string[] arguments)
    {
        var start = new ProcessStartInfo(asServerUser && Environment.UserName == "root" ? "runuser" : program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetTempPath(),
        };
        if (start.FileName == "runuser")
        {
            foreach (var argument in new[] { "-u", "postgres", "--", program })
            {
                start.ArgumentList.Add(argument);
            }
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill();
            throw new InvalidOperationException($"{Path.GetFileName(program)} did not finish in two minutes.");
        }

        if (process.ExitCode != 0)
        {
            var log = Path.Combine(_dir, "server.log");
            throw new InvalidOperationException(
                $"{Path.GetFileName(program)} {string.Join(' ', arguments)} failed ({process.ExitCode}): {output.Result} {error.Result} {(File.Exists(log) ? File.ReadAllText(log) : string.Empty)}");
        }
    }
}
