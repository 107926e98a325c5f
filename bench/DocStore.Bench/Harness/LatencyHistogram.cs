namespace DocStore.Bench.Harness;

/// <summary>
/// A log-linear histogram of latencies in nanoseconds (32 sub-buckets per power of two, so about
/// 3% precision), fixed size, no allocation while recording. One per thread; merged at the end.
/// </summary>
public sealed class LatencyHistogram
{
    private const int SubBucketBits = 5;
    private const int SubBuckets = 1 << SubBucketBits;
    private readonly long[] _counts = new long[64 * SubBuckets];

    public long Count { get; private set; }

    public void Record(long nanoseconds)
    {
        _counts[Index(Math.Max(0, nanoseconds))]++;
        Count++;
    }

    public void Add(LatencyHistogram other)
    {
        for (var i = 0; i < _counts.Length; i++)
        {
            _counts[i] += other._counts[i];
        }

        Count += other.Count;
    }

    /// <summary>The latency at or below which <paramref name="percentile"/>% of samples fall, in microseconds.</summary>
    public double PercentileMicroseconds(double percentile)
    {
        if (Count == 0)
        {
            return 0;
        }

        var rank = (long)Math.Ceiling(percentile / 100.0 * Count);
        long seen = 0;
        for (var i = 0; i < _counts.Length; i++)
        {
            seen += _counts[i];
            if (seen >= rank)
            {
                return UpperBound(i) / 1000.0;
            }
        }

        return UpperBound(_counts.Length - 1) / 1000.0;
    }

    // Values below 64 are exact; above, the top 6 significant bits pick the bucket: index = e * 32 + (v >> e) with v >> e in [32, 64).
    private static int Index(long value)
    {
        if (value < 2 * SubBuckets)
        {
            return (int)value;
        }

        var exponent = 63 - (int)long.LeadingZeroCount(value) - SubBucketBits;
        return (exponent * SubBuckets) + (int)(value >> exponent);
    }

    private static long UpperBound(int index)
    {
        if (index < 2 * SubBuckets)
        {
            return index;
        }

        var exponent = (index / SubBuckets) - 1;
        var sub = (index % SubBuckets) + SubBuckets;
        return ((long)(sub + 1) << exponent) - 1;
    }
}
