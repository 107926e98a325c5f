using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using DocStore.Fast;

namespace DocStore.TestHost;

/// <summary>
/// Kills a process in the middle of key rotations (SQLCipher rekeys with the journal in DELETE mode) and
/// checks after each kill that the file opens with the old key or the new one (never neither), that opening
/// puts it back in WAL mode, and that every acknowledged document is there. Arguments: DIR KILLS.
/// The rotating child is <see cref="RunRotatorAsync"/> (PATH KEY-INDEX).
/// </summary>
internal static class RotationCampaign
{
    public static async Task<int> RunAsync(string[] args)
    {
        SqlCipher.UseSystemLibrary();
        var dir = args[0];
        var kills = int.Parse(args[1], CultureInfo.InvariantCulture);
        var path = Path.Combine(dir, "rotation.db");
        var check = new CrashCheck();
        var random = new Random(5);
        var keyIndex = 0;
        var interrupted = 0;
        for (var kill = 1; kill <= kills; kill++)
        {
            var rotating = -1;
            using (var rotator = ChildProcess.Start("key-rotator", path, keyIndex.ToString(CultureInfo.InvariantCulture)))
            {
                if (await rotator.ReadLineAsync(TimeSpan.FromSeconds(60)) != "ready")
                {
                    Console.WriteLine($"FAILED: rotator {kill} did not start: {rotator.Error}");
                    return 1;
                }

                // Every other kill lands just after a rotation started (a rekey of a small file takes milliseconds).
                var until = DateTime.UtcNow.AddMilliseconds(random.Next(50, 600));
                while (DateTime.UtcNow < until && await rotator.ReadLineAsync(until - DateTime.UtcNow) is { } line)
                {
                    Apply(line, check, ref keyIndex, ref rotating);
                    if (kill % 2 == 0 && line.StartsWith("rotating", StringComparison.Ordinal))
                    {
                        Thread.SpinWait(random.Next(1, 200_000));
                        break;
                    }
                }

                rotator.Kill();
                foreach (var line in await rotator.RemainingLinesAsync())
                {
                    Apply(line, check, ref keyIndex, ref rotating);
                }
            }

            // The old key, or the new one when a rotation was under way: exactly one of them opens the file.
            var opened = new List<int>();
            foreach (var candidate in rotating > keyIndex ? new[] { keyIndex, rotating } : [keyIndex])
            {
                try
                {
                    await using var store = new LocalStorageSystem(new DocStoreOptions { DatabasePath = path, EncryptionKey = Key(candidate) });
                    opened.Add(candidate);
                }
                catch (EncryptionKeyException)
                {
                }
            }

            if (opened.Count != 1)
            {
                Console.WriteLine($"FAILED after kill {kill}: keys {string.Join(",", opened)} opened the file (old {keyIndex}, rotating to {rotating})");
                return 1;
            }

            interrupted += rotating > keyIndex ? 1 : 0;
            keyIndex = opened[0];
            var problems = await check.CheckAsync(path, Key(keyIndex));
            if (problems.Count > 0)
            {
                Console.WriteLine($"FAILED after kill {kill}: " + string.Join("; ", problems.Take(10)));
                return 1;
            }
        }

        Console.WriteLine($"ok: {kills} kills, {interrupted} during a rotation, key now {keyIndex}, {check.Acknowledged} acknowledged writes checked");
        return 0;
    }

    /// <summary>The rotating child: writes a document, rotates to the next key, and again, printing each step.</summary>
    public static async Task<int> RunRotatorAsync(string[] args)
    {
        SqlCipher.UseSystemLibrary();
        var index = int.Parse(args[1], CultureInfo.InvariantCulture);
        await using var store = new OptimizedStorageSystem(new OptimizedStorageOptions { DatabasePath = args[0], EncryptionKey = Key(index) });
        Console.WriteLine("ready");
        while (true)
        {
            var doc = await store.CreateAsync(new NewDocument { Title = "rotation " + index, Type = "note", Content = "written under key " + index });
            Console.WriteLine($"ack create {doc.Id} {doc.Version} {doc.ContentHash}");
            Console.WriteLine($"rotating {index + 1}");
            await store.RotateKeyAsync(Key(index + 1));
            index++;
            Console.WriteLine($"rotated {index}");
        }
    }

    private static void Apply(string line, CrashCheck check, ref int keyIndex, ref int rotating)
    {
        var words = line.Split(' ');
        switch (words[0])
        {
            case "rotating":
                rotating = int.Parse(words[1], CultureInfo.InvariantCulture);
                break;
            case "rotated":
                keyIndex = int.Parse(words[1], CultureInfo.InvariantCulture);
                break;
            default:
                check.Record(line);
                break;
        }
    }

    /// <summary>Raw keys (no passphrase derivation, so rotations are quick), one per index.</summary>
    private static EncryptionKey Key(int index) => EncryptionKey.FromBytes(SHA256.HashData(Encoding.UTF8.GetBytes("rotation key " + index)));
}
