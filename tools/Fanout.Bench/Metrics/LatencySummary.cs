namespace Fanout.Bench.Metrics;

/// <summary>Latency percentiles in milliseconds (null when nothing was recorded).</summary>
public sealed record LatencySummary(long Count, double? P50, double? P95, double? P99, double? Max, double? Mean);
