using System.Diagnostics;
using DocStore.Bench.Workloads;

namespace DocStore.Bench.Systems.Peers;

/// <summary>
/// Each peer's own file beside the store's, filled once per run with the store's documents (same ids, same fields),
/// so every system reads the same data; opened again by each cell that measures the peer.
/// </summary>
internal static class PeerFiles
{
    private static readonly Lock Gate = new();
    private static readonly HashSet<string> Built = new(StringComparer.Ordinal);

    /// <summary>The file of peer <paramref name="peer"/> for <paramref name="database"/>, filled by <paramref name="fill"/> the first time.</summary>
    public static string Get(BenchDatabase database, string peer, string extension, Action<string, IReadOnlyList<Document>> fill)
    {
        var path = Path.ChangeExtension(database.Path, "." + peer + extension);
        lock (Gate)
        {
            if (Built.Add(path))
            {
                foreach (var file in new[] { path, path + "-wal", path + "-shm", path + "-log" })
                {
                    File.Delete(file);
                }

                var watch = Stopwatch.StartNew();
                fill(path, database.Documents);
                Console.Error.WriteLine($"  {peer}: {database.Documents.Count:N0} documents loaded in {watch.Elapsed.TotalSeconds:N1} s, file {new FileInfo(path).Length / 1048576.0:N1} MiB");
            }
        }

        return path;
    }
}
