using System.Buffers.Binary;

namespace DocStore.Tests.Infrastructure;

/// <summary>Damages a closed SQLite file the way a disk or a stray write would: garbage over one B-tree page.</summary>
public static class FileDamage
{
    /// <summary>Overwrites a leaf page of <paramref name="table"/> with garbage; the file must be closed (its WAL checkpointed).</summary>
    public static void GarbleLeafPage(string path, string table)
    {
        var root = (long)SqliteProbe.Scalar(path, $"SELECT rootpage FROM sqlite_master WHERE type = 'table' AND name = '{table}'")!;
        var pageSize = (int)(long)SqliteProbe.Scalar(path, "PRAGMA page_size")!;
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        var bytes = File.ReadAllBytes(path);
        var leaf = FirstLeaf(bytes, pageSize, (int)root);
        var random = new Random(7);
        var offset = (leaf - 1) * pageSize;
        for (var i = 0; i < pageSize; i++)
        {
            bytes[offset + i] = (byte)random.Next(256);
        }

        File.WriteAllBytes(path, bytes);
    }

    /// <summary>Follows the left-most child pointers from <paramref name="page"/> down to a table leaf page (type 0x0D).</summary>
    private static int FirstLeaf(byte[] file, int pageSize, int page)
    {
        while (true)
        {
            var start = (page - 1) * pageSize + (page == 1 ? 100 : 0);
            switch (file[start])
            {
                case 0x0D:
                    return page;
                case 0x05:
                    // Interior table page: 12-byte header, then 2-byte cell pointers; each cell starts with its child's page number.
                    var firstCell = BinaryPrimitives.ReadUInt16BigEndian(file.AsSpan(start + 12));
                    page = (int)BinaryPrimitives.ReadUInt32BigEndian(file.AsSpan(((page - 1) * pageSize) + firstCell));
                    break;
                default:
                    throw new InvalidOperationException($"Page {page} is not a table B-tree page (type {file[start]}).");
            }
        }
    }
}
