namespace Fanout.Bench.Metrics;

/// <summary>
/// Log-linear histogram of microsecond values, safe to record into from many threads: exact below 256 µs, then 128
/// sub-buckets per power of two (≤ 0.4 % bucket error), the same layout as the reference harness.
/// </summary>
public sealed class LatencyHistogram
{
    private const int SubBuckets = 128;
    private const int Linear = 2 * SubBuckets;
    private const int BucketCount = Linear + (31 - 8 + 1) * SubBuckets;
    private readonly long[] _counts = new long[BucketCount];
    private long _count;
    private long _sumMicros;
    private long _maxMicros;

    public long Count => Interlocked.Read(ref _count);

    public void RecordMs(double ms) => RecordMicros((long)Math.Round(ms * 1000));

    public void RecordMicros(long micros)
    {
        var value = Math.Clamp(micros, 0, int.MaxValue);
        Interlocked.Increment(ref _counts[BucketOf(value)]);
        Interlocked.Increment(ref _count);
        Interlocked.Add(ref _sumMicros, value);
        var max = Interlocked.Read(ref _maxMicros);
        while (value > max)
        {
            var seen = Interlocked.CompareExchange(ref _maxMicros, value, max);
            if (seen == max)
            {
                break;
            }

            max = seen;
        }
    }

    /// <summary>The value (µs) at percentile <paramref name="q"/> (0–100): the middle of its bucket, capped at the max.</summary>
    public double? PercentileMicros(double q)
    {
        var count = Count;
        if (count == 0)
        {
            return null;
        }

        var target = Math.Max(1, (long)Math.Ceiling(q / 100 * count));
        long seen = 0;
        for (var i = 0; i < BucketCount; i++)
        {
            seen += Interlocked.Read(ref _counts[i]);
            if (seen >= target)
            {
                return Math.Min(BucketMiddle(i), Interlocked.Read(ref _maxMicros));
            }
        }

        return Interlocked.Read(ref _maxMicros);
    }

    public LatencySummary Summary()
    {
        var count = Count;
        static double? Ms(double? micros) => micros is { } us ? Math.Round(us) / 1000 : null;
        return new LatencySummary(
            count,
            Ms(PercentileMicros(50)),
            Ms(PercentileMicros(95)),
            Ms(PercentileMicros(99)),
            count > 0 ? Ms(Interlocked.Read(ref _maxMicros)) : null,
            count > 0 ? Ms((double)Interlocked.Read(ref _sumMicros) / count) : null);
    }

    private static int BucketOf(long value)
    {
        if (value < Linear)
        {
            return (int)value;
        }

        var highestBit = 63 - (int)long.LeadingZeroCount(value);
        var shift = highestBit - 7;
        var sub = (int)(value >> shift);
        return Linear + (shift - 1) * SubBuckets + (sub - SubBuckets);
    }

    private static double BucketMiddle(int index)
    {
        if (index < Linear)
        {
            return index;
        }

        var shift = ((index - Linear) / SubBuckets) + 1;
        var sub = ((index - Linear) % SubBuckets) + SubBuckets;
        var low = (double)sub * (1L << shift);
        var high = ((double)(sub + 1) * (1L << shift)) - 1;
        return (low + high) / 2;
    }
}
