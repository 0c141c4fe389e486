namespace Fanout.ServiceDefaults.Metrics;

/// <summary>The Prometheus metric types the exposition writer produces.</summary>
public enum PrometheusMetricType
{
    /// <summary>Monotonic: <c>Counter&lt;T&gt;</c>, <c>ObservableCounter&lt;T&gt;</c>.</summary>
    Counter,

    /// <summary>A value that goes up and down: up-down counters and gauges, observable or not.</summary>
    Gauge,

    /// <summary><c>Histogram&lt;T&gt;</c>: cumulative buckets, sum and count.</summary>
    Histogram,
}
