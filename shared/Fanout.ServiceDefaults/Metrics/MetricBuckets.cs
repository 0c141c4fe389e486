namespace Fanout.ServiceDefaults.Metrics;

/// <summary>Bucket boundaries the services' histograms advise (<c>InstrumentAdvice</c>), shared so dashboards line up.</summary>
public static class MetricBuckets
{
    /// <summary>End-to-end stage latencies in seconds: 1 ms to 30 s.</summary>
    public static readonly IReadOnlyList<double> LatencySeconds = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

    /// <summary>Sizes (events per batch): 1 to 5000.</summary>
    public static readonly IReadOnlyList<double> Sizes = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000];

    /// <summary>Seconds from <paramref name="since"/> to <paramref name="now"/>, never negative (clocks of different hosts may disagree a little).</summary>
    public static double SecondsSince(DateTimeOffset since, DateTimeOffset now) => Math.Max(0, (now - since).TotalSeconds);
}
