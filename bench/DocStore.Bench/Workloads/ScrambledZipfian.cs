namespace DocStore.Bench.Workloads;

/// <summary>
/// YCSB's zipfian key chooser (Gray et al., "Quickly generating billion-record synthetic databases"),
/// theta 0.99 by default, with the rank scrambled by an FNV hash so hot keys spread over the key
/// space as in YCSB's ScrambledZipfianGenerator. O(n) set-up (zeta), O(1) per sample.
/// </summary>
public sealed class ScrambledZipfian
{
    private readonly long _items;
    private readonly double _theta;
    private readonly double _alpha;
    private readonly double _zetaN;
    private readonly double _eta;
    private readonly bool _scramble;

    public ScrambledZipfian(long items, double theta = 0.99, bool scramble = true)
    {
        _items = items;
        _theta = theta;
        _scramble = scramble;
        var zeta2 = Zeta(2, theta);
        _alpha = 1.0 / (1.0 - theta);
        _zetaN = Zeta(items, theta);
        _eta = (1 - Math.Pow(2.0 / items, 1 - theta)) / (1 - (zeta2 / _zetaN));
    }

    /// <summary>A rank in [0, items), rank 0 the most popular (before scrambling).</summary>
    public long Next(Random random)
    {
        var u = random.NextDouble();
        var uz = u * _zetaN;
        long rank;
        if (uz < 1.0)
        {
            rank = 0;
        }
        else if (uz < 1.0 + Math.Pow(0.5, _theta))
        {
            rank = 1;
        }
        else
        {
            rank = (long)(_items * Math.Pow((_eta * u) - _eta + 1, _alpha));
        }

        rank = Math.Min(rank, _items - 1);
        return _scramble ? (long)(Fnv(rank) % (ulong)_items) : rank;
    }

    private static double Zeta(long n, double theta)
    {
        double sum = 0;
        for (long i = 1; i <= n; i++)
        {
            sum += 1.0 / Math.Pow(i, theta);
        }

        return sum;
    }

    private static ulong Fnv(long value)
    {
        var hash = 0xCBF29CE484222325UL;
        for (var i = 0; i < 8; i++)
        {
            hash ^= (ulong)(value & 0xFF);
            hash *= 0x100000001B3UL;
            value >>= 8;
        }

        return hash;
    }
}
