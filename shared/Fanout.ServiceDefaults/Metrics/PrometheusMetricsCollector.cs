using System.Diagnostics.Metrics;
using System.Text;

namespace Fanout.ServiceDefaults.Metrics;

/// <summary>
/// Listens to the meters <see cref="Includes"/> selects and renders what they measured in the Prometheus text format
/// 0.0.4 (<see cref="WriteTo"/>, served at <c>/metrics</c>). Counters are summed, up-down counters and gauges kept
/// as values, histograms counted into the buckets their <c>InstrumentAdvice</c> names (else the Prometheus defaults
/// for seconds), and observable instruments observed at each scrape. Meters made by another host's
/// <see cref="IMeterFactory"/> (several test hosts in one process) are ignored; static meters are shared.
/// </summary>
public sealed class PrometheusMetricsCollector : IDisposable
{
    /// <summary>Meters listened to besides every <c>Fanout.*</c> one: runtime, HTTP server, Kestrel, SignalR connections.</summary>
    public static readonly IReadOnlyList<string> OtherMeters =
    [
        "System.Runtime",
        "Microsoft.AspNetCore.Hosting",
        "Microsoft.AspNetCore.Server.Kestrel",
        "Microsoft.AspNetCore.Http.Connections",
    ];

    private readonly MeterListener _listener = new();
    private readonly Func<Meter, bool> _includes;
    private readonly object? _scope;
    private readonly Lock _streamsLock = new();
    private readonly List<MetricStream> _streams = [];
    private readonly SemaphoreSlim _scrape = new(1, 1);
    private bool _started;

    /// <param name="scope">This host's <see cref="IMeterFactory"/>: meters of other factories are ignored (null: none are).</param>
    /// <param name="includes">Which meters to listen to; by default <c>Fanout.*</c> and <see cref="OtherMeters"/>.</param>
    public PrometheusMetricsCollector(object? scope = null, Func<Meter, bool>? includes = null)
    {
        _scope = scope;
        _includes = includes ?? Includes;
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (_includes(instrument.Meter) && (instrument.Meter.Scope is null || _scope is null || ReferenceEquals(instrument.Meter.Scope, _scope)))
            {
                var stream = new MetricStream(instrument);
                lock (_streamsLock)
                {
                    _streams.Add(stream);
                }

                listener.EnableMeasurementEvents(instrument, stream);
            }
        };
        _listener.MeasurementsCompleted = (instrument, state) =>
        {
            lock (_streamsLock)
            {
                _streams.Remove((MetricStream)state!);
            }
        };
        _listener.SetMeasurementEventCallback<double>((_, value, tags, state) => ((MetricStream)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<float>((_, value, tags, state) => ((MetricStream)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<long>((_, value, tags, state) => ((MetricStream)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<int>((_, value, tags, state) => ((MetricStream)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<short>((_, value, tags, state) => ((MetricStream)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<byte>((_, value, tags, state) => ((MetricStream)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<decimal>((_, value, tags, state) => ((MetricStream)state!).Record((double)value, tags));
    }

    /// <summary>The default selection: every meter named <c>Fanout.*</c>, and <see cref="OtherMeters"/>.</summary>
    public static bool Includes(Meter meter) =>
        meter.Name.StartsWith("Fanout.", StringComparison.Ordinal) || OtherMeters.Contains(meter.Name, StringComparer.Ordinal);

    /// <summary>Starts listening (instruments published before are picked up too). Idempotent.</summary>
    public void Start()
    {
        lock (_streamsLock)
        {
            if (_started)
            {
                return;
            }

            _started = true;
        }

        _listener.Start();
    }

    /// <summary>Observes the observable instruments, then writes every metric in text format 0.0.4.</summary>
    public void WriteTo(TextWriter writer)
    {
        _scrape.Wait();
        try
        {
            MetricStream[] streams;
            lock (_streamsLock)
            {
                streams = [.. _streams];
            }

            foreach (var stream in streams.Where(s => s.IsObservable))
            {
                stream.Clear();
            }

            try
            {
                _listener.RecordObservableInstruments();
            }
            catch (AggregateException)
            {
                // A callback that throws leaves its instrument without samples; the others were observed.
            }

            Render(streams, writer);
        }
        finally
        {
            _scrape.Release();
        }
    }

    /// <summary>The whole exposition as a string (tests, small services).</summary>
    public string Render()
    {
        using var writer = new StringWriter(new StringBuilder(4096), System.Globalization.CultureInfo.InvariantCulture) { NewLine = "\n" };
        WriteTo(writer);
        return writer.ToString();
    }

    public void Dispose()
    {
        _listener.Dispose();
        _scrape.Dispose();
    }

    private static void Render(MetricStream[] streams, TextWriter writer)
    {
        // One HELP/TYPE per name: instruments of the same name (one meter name made by several meters) are merged;
        // one whose type differs from the first of its name is left out rather than make the exposition invalid.
        foreach (var group in streams.GroupBy(s => s.Name, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var first = group.First();
            writer.Write("# HELP ");
            writer.Write(first.Name);
            writer.Write(' ');
            writer.Write(PrometheusNames.EscapeHelp(first.Help));
            writer.Write('\n');
            writer.Write("# TYPE ");
            writer.Write(first.Name);
            writer.Write(' ');
            writer.Write(first.Type switch
            {
                PrometheusMetricType.Counter => "counter",
                PrometheusMetricType.Histogram => "histogram",
                _ => "gauge",
            });
            writer.Write('\n');

            foreach (var stream in group.Where(s => s.Type == first.Type))
            {
                foreach (var series in stream.Series)
                {
                    if (stream.Type == PrometheusMetricType.Histogram)
                    {
                        WriteHistogram(writer, stream, series);
                    }
                    else
                    {
                        WriteSample(writer, stream.Name, series.Labels, null, series.Value);
                    }
                }
            }
        }
    }

    private static void WriteHistogram(TextWriter writer, MetricStream stream, MetricSeries series)
    {
        var (cumulative, sum) = series.HistogramSnapshot();
        var bounds = stream.Bounds!;
        var bucket = stream.Name + "_bucket";
        for (var i = 0; i < bounds.Length; i++)
        {
            WriteSample(writer, bucket, series.Labels, PrometheusNames.FormatValue(bounds[i]), cumulative[i]);
        }

        var count = cumulative[^1];
        WriteSample(writer, bucket, series.Labels, "+Inf", count);
        WriteSample(writer, stream.Name + "_sum", series.Labels, null, sum);
        WriteSample(writer, stream.Name + "_count", series.Labels, null, count);
    }

    private static void WriteSample(TextWriter writer, string name, IReadOnlyList<KeyValuePair<string, string>> labels, string? le, double value)
    {
        writer.Write(name);
        if (labels.Count > 0 || le is not null)
        {
            writer.Write('{');
            var separator = false;
            foreach (var (label, text) in labels)
            {
                if (le is not null && label == "le")
                {
                    continue; // The bucket bound owns "le".
                }

                if (separator)
                {
                    writer.Write(',');
                }

                writer.Write(label);
                writer.Write("=\"");
                writer.Write(PrometheusNames.EscapeLabelValue(text));
                writer.Write('"');
                separator = true;
            }

            if (le is not null)
            {
                if (separator)
                {
                    writer.Write(',');
                }

                writer.Write("le=\"");
                writer.Write(le);
                writer.Write('"');
            }

            writer.Write('}');
        }

        writer.Write(' ');
        writer.Write(PrometheusNames.FormatValue(value));
        writer.Write('\n');
    }
}
