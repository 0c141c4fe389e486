namespace Fanout.ServiceDefaults.Metrics;

/// <summary>
/// One label set of one instrument: a value (counters, gauges) or cumulative-ready bucket counts, sum and count
/// (histograms). Updated lock-free; a scrape reads it while measurements continue.
/// </summary>
internal sealed class MetricSeries
{
    private readonly KeyValuePair<string, object?>[] _tags;
    private readonly double[]? _bounds;
    private readonly long[]? _buckets;
    private double _value;
    private double _sum;

    public MetricSeries(ReadOnlySpan<KeyValuePair<string, object?>> tags, int hash, double[]? bounds)
    {
        _tags = tags.ToArray();
        Hash = hash;
        Labels = [.. _tags.Select(t => KeyValuePair.Create(PrometheusNames.LabelName(t.Key), PrometheusNames.LabelValue(t.Value)))
            .OrderBy(l => l.Key, StringComparer.Ordinal)];
        _bounds = bounds;
        _buckets = bounds is null ? null : new long[bounds.Length + 1];
    }

    /// <summary>Sanitized label names with their (unescaped) values, ordered by name.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Labels { get; }

    public int Hash { get; }

    public double Value => Volatile.Read(ref _value);

    /// <summary>An order-independent hash of a tag list, computed without allocating.</summary>
    public static int HashOf(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var hash = tags.Length;
        foreach (var tag in tags)
        {
            hash += HashCode.Combine(tag.Key, tag.Value);
        }

        return hash;
    }

    /// <summary>Whether <paramref name="tags"/> (in any order) is this series' tag set.</summary>
    public bool Matches(ReadOnlySpan<KeyValuePair<string, object?>> tags, int hash)
    {
        if (hash != Hash || tags.Length != _tags.Length)
        {
            return false;
        }

        for (var i = 0; i < tags.Length; i++)
        {
            // Same order (the usual case: one call site) first, then any order.
            if (string.Equals(tags[i].Key, _tags[i].Key, StringComparison.Ordinal))
            {
                if (!Equals(tags[i].Value, _tags[i].Value))
                {
                    return false;
                }

                continue;
            }

            var found = false;
            foreach (var own in _tags)
            {
                if (string.Equals(tags[i].Key, own.Key, StringComparison.Ordinal))
                {
                    found = Equals(tags[i].Value, own.Value);
                    break;
                }
            }

            if (!found)
            {
                return false;
            }
        }

        return true;
    }

    public void Add(double value)
    {
        AddDouble(ref _value, value);
    }

    public void Set(double value) => Volatile.Write(ref _value, value);

    public void Record(double value)
    {
        var bounds = _bounds!;
        var index = bounds.Length;
        for (var i = 0; i < bounds.Length; i++)
        {
            // Prometheus buckets are "less than or equal": a value on a bound falls into that bound's bucket.
            if (value <= bounds[i])
            {
                index = i;
                break;
            }
        }

        Interlocked.Increment(ref _buckets![index]);
        AddDouble(ref _sum, value);
    }

    /// <summary>Cumulative counts per bound (the last one is <c>+Inf</c>, the count), and the sum.</summary>
    public (long[] Cumulative, double Sum) HistogramSnapshot()
    {
        var buckets = _buckets!;
        var cumulative = new long[buckets.Length];
        long running = 0;
        for (var i = 0; i < buckets.Length; i++)
        {
            running += Interlocked.Read(ref buckets[i]);
            cumulative[i] = running;
        }

        return (cumulative, Volatile.Read(ref _sum));
    }

    private static void AddDouble(ref double location, double value)
    {
        var current = Volatile.Read(ref location);
        while (true)
        {
            var seen = Interlocked.CompareExchange(ref location, current + value, current);
            if (seen.Equals(current))
            {
                return;
            }

            current = seen;
        }
    }
}
