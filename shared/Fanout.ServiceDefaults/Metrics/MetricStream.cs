using System.Diagnostics.Metrics;

namespace Fanout.ServiceDefaults.Metrics;

/// <summary>What the collector keeps for one instrument: its Prometheus name and type, and its series.</summary>
internal sealed class MetricStream
{
    /// <summary>The Prometheus client libraries' default buckets, for histograms in seconds that give no advice.</summary>
    public static readonly double[] DefaultSecondsBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    /// <summary>OpenTelemetry's default buckets, for other histograms that give no advice.</summary>
    public static readonly double[] DefaultBuckets = [0, 5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 2500, 5000, 7500, 10000];

    private readonly Lock _lock = new();
    private MetricSeries[] _series = [];

    public MetricStream(Instrument instrument)
    {
        Instrument = instrument;
        Type = TypeOf(instrument);
        Name = PrometheusNames.MetricName(instrument.Name, instrument.Unit, Type);
        Help = string.IsNullOrWhiteSpace(instrument.Description) ? instrument.Name : instrument.Description;
        Bounds = Type == PrometheusMetricType.Histogram ? BoundsOf(instrument) : null;
        IsObservable = instrument.IsObservable;
    }

    public Instrument Instrument { get; }

    public string Name { get; }

    public string Help { get; }

    public PrometheusMetricType Type { get; }

    public double[]? Bounds { get; }

    public bool IsObservable { get; }

    /// <summary>Sync gauges (<c>Gauge&lt;T&gt;</c>) and observable instruments report the value itself, not an increment.</summary>
    private bool ReportsValue => IsObservable || IsGenericOf(Instrument, typeof(Gauge<>));

    public IReadOnlyList<MetricSeries> Series => Volatile.Read(ref _series);

    public void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var series = Find(tags);
        if (Type == PrometheusMetricType.Histogram)
        {
            series.Record(value);
        }
        else if (ReportsValue)
        {
            series.Set(value);
        }
        else
        {
            series.Add(value);
        }
    }

    /// <summary>Forgets every series (observable instruments, before they are observed again: gone label sets disappear).</summary>
    public void Clear()
    {
        lock (_lock)
        {
            _series = [];
        }
    }

    private MetricSeries Find(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var hash = MetricSeries.HashOf(tags);
        foreach (var existing in Volatile.Read(ref _series))
        {
            if (existing.Matches(tags, hash))
            {
                return existing;
            }
        }

        lock (_lock)
        {
            foreach (var existing in _series)
            {
                if (existing.Matches(tags, hash))
                {
                    return existing;
                }
            }

            var created = new MetricSeries(tags, hash, Bounds);
            Volatile.Write(ref _series, [.. _series, created]);
            return created;
        }
    }

    private static PrometheusMetricType TypeOf(Instrument instrument) =>
        IsGenericOf(instrument, typeof(Histogram<>)) ? PrometheusMetricType.Histogram
        : IsGenericOf(instrument, typeof(Counter<>)) || IsGenericOf(instrument, typeof(ObservableCounter<>)) ? PrometheusMetricType.Counter
        : PrometheusMetricType.Gauge;

    private static bool IsGenericOf(Instrument instrument, Type definition) =>
        instrument.GetType().IsGenericType && instrument.GetType().GetGenericTypeDefinition() == definition;

    private static double[] BoundsOf(Instrument instrument)
    {
        var advised = instrument switch
        {
            Histogram<double> h => h.Advice?.HistogramBucketBoundaries?.ToArray(),
            Histogram<float> h => h.Advice?.HistogramBucketBoundaries?.Select(b => (double)b).ToArray(),
            Histogram<long> h => h.Advice?.HistogramBucketBoundaries?.Select(b => (double)b).ToArray(),
            Histogram<int> h => h.Advice?.HistogramBucketBoundaries?.Select(b => (double)b).ToArray(),
            Histogram<short> h => h.Advice?.HistogramBucketBoundaries?.Select(b => (double)b).ToArray(),
            Histogram<byte> h => h.Advice?.HistogramBucketBoundaries?.Select(b => (double)b).ToArray(),
            Histogram<decimal> h => h.Advice?.HistogramBucketBoundaries?.Select(b => (double)b).ToArray(),
            _ => null,
        };

        if (advised is { Length: > 0 })
        {
            return [.. advised.Where(b => !double.IsNaN(b) && !double.IsInfinity(b)).Distinct().Order()];
        }

        return instrument.Unit == "s" ? DefaultSecondsBuckets : DefaultBuckets;
    }
}
