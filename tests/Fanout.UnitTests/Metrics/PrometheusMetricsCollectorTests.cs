using System.Diagnostics.Metrics;
using System.Text.RegularExpressions;
using Fanout.ServiceDefaults.Metrics;
using Microsoft.Extensions.DependencyInjection;

namespace Fanout.UnitTests.Metrics;

public sealed partial class PrometheusMetricsCollectorTests : IDisposable
{
    private readonly string _meterName = "Fanout.Test." + Guid.NewGuid().ToString("N");
    private readonly Meter _meter;
    private readonly PrometheusMetricsCollector _collector;

    public PrometheusMetricsCollectorTests()
    {
        _meter = new Meter(_meterName);
        _collector = new PrometheusMetricsCollector(includes: m => m.Name == _meterName);
        _collector.Start();
    }

    public void Dispose()
    {
        _collector.Dispose();
        _meter.Dispose();
    }

    [Fact]
    public void CountersAreSummedPerLabelSetWhateverTheTagOrder()
    {
        var counter = _meter.CreateCounter<long>("test.events.accepted", "{event}", "Events accepted.");
        counter.Add(2, new("kind", "a"), new("region", "eu"));
        counter.Add(3, new("region", "eu"), new("kind", "a"));
        counter.Add(5, new KeyValuePair<string, object?>("kind", "b"));
        counter.Add(1);

        var text = _collector.Render();
        text.ShouldContain("# HELP test_events_accepted_total Events accepted.\n");
        text.ShouldContain("# TYPE test_events_accepted_total counter\n");
        text.ShouldContain("test_events_accepted_total{kind=\"a\",region=\"eu\"} 5\n");
        text.ShouldContain("test_events_accepted_total{kind=\"b\"} 5\n");
        text.ShouldContain("test_events_accepted_total 1\n");
        AssertValidExposition(text);
    }

    [Fact]
    public void HistogramBucketsAreCumulativeWithInfSumAndCount()
    {
        var histogram = _meter.CreateHistogram("test.stage.latency", "s", "Latency.", tags: null,
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [1, 2, 5] });
        foreach (var value in new[] { 0.5, 1, 1.5, 3, 10 })
        {
            histogram.Record(value, new KeyValuePair<string, object?>("stage", "x"));
        }

        var lines = _collector.Render().Split('\n');
        lines.ShouldContain("# TYPE test_stage_latency_seconds histogram");
        var samples = lines.Where(l => l.StartsWith("test_stage_latency_seconds", StringComparison.Ordinal)).ToList();
        samples.ShouldBe(
        [
            "test_stage_latency_seconds_bucket{stage=\"x\",le=\"1\"} 2",
            "test_stage_latency_seconds_bucket{stage=\"x\",le=\"2\"} 3",
            "test_stage_latency_seconds_bucket{stage=\"x\",le=\"5\"} 4",
            "test_stage_latency_seconds_bucket{stage=\"x\",le=\"+Inf\"} 5",
            "test_stage_latency_seconds_sum{stage=\"x\"} 16",
            "test_stage_latency_seconds_count{stage=\"x\"} 5",
        ]);
    }

    [Fact]
    public void HistogramsWithoutAdviceInSecondsUseThePrometheusDefaultBuckets()
    {
        var histogram = _meter.CreateHistogram<double>("test.plain.duration", "s");
        histogram.Record(0.2);

        var buckets = _collector.Render().Split('\n').Where(l => l.StartsWith("test_plain_duration_seconds_bucket", StringComparison.Ordinal)).ToList();
        buckets.Select(b => BucketBound().Match(b).Groups[1].Value).ShouldBe(
            ["0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5", "5", "10", "+Inf"]);
        buckets.Single(b => b.Contains("le=\"0.1\"", StringComparison.Ordinal)).ShouldEndWith(" 0");
        buckets.Single(b => b.Contains("le=\"0.25\"", StringComparison.Ordinal)).ShouldEndWith(" 1");
    }

    [Fact]
    public void IntegerHistogramAdviceIsUsed()
    {
        var histogram = _meter.CreateHistogram("test.batch.size", "{event}", null, tags: null,
            advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [10, 100] });
        histogram.Record(10);
        histogram.Record(50);
        histogram.Record(1000);

        var text = _collector.Render();
        text.ShouldContain("test_batch_size_bucket{le=\"10\"} 1\n");
        text.ShouldContain("test_batch_size_bucket{le=\"100\"} 2\n");
        text.ShouldContain("test_batch_size_bucket{le=\"+Inf\"} 3\n");
        text.ShouldContain("test_batch_size_sum 1060\n");
        text.ShouldContain("test_batch_size_count 3\n");
        text.ShouldContain("# HELP test_batch_size test.batch.size\n", Case.Sensitive, "an instrument without description gets its name as help");
    }

    [Fact]
    public void LabelValuesAndHelpAreEscaped()
    {
        var counter = _meter.CreateCounter<int>("test.escapes", description: "Line one\nline two \\ \"quoted\"");
        counter.Add(1, new KeyValuePair<string, object?>("path", "C:\\dir \"x\"\nnext"));

        var text = _collector.Render();
        text.ShouldContain("# HELP test_escapes_total Line one\\nline two \\\\ \"quoted\"\n");
        text.ShouldContain("test_escapes_total{path=\"C:\\\\dir \\\"x\\\"\\nnext\"} 1\n");
        AssertValidExposition(text);
    }

    [Fact]
    public void UpDownCountersAndGaugesAreGauges()
    {
        var upDown = _meter.CreateUpDownCounter<long>("test.connections", "{connection}");
        upDown.Add(3);
        upDown.Add(-5);
        var gauge = _meter.CreateGauge<double>("test.temperature", "Cel");
        gauge.Record(21.5);
        gauge.Record(20.25);

        var text = _collector.Render();
        text.ShouldContain("# TYPE test_connections gauge\ntest_connections -2\n");
        text.ShouldContain("# TYPE test_temperature_celsius gauge\ntest_temperature_celsius 20.25\n");
    }

    [Fact]
    public void ObservableInstrumentsAreReadAtEachScrapeAndLabelSetsThatVanishAreDropped()
    {
        var rooms = new Dictionary<string, int> { ["chat:*"] = 3, ["game:*"] = 1 };
        _meter.CreateObservableGauge("test.subscriptions", () => rooms.Select(r => new Measurement<int>(r.Value, new KeyValuePair<string, object?>("room_pattern", r.Key))));
        var total = 10L;
        _meter.CreateObservableCounter("test.cpu.time", () => total, "s");

        var first = _collector.Render();
        first.ShouldContain("test_subscriptions{room_pattern=\"chat:*\"} 3\n");
        first.ShouldContain("test_subscriptions{room_pattern=\"game:*\"} 1\n");
        first.ShouldContain("# TYPE test_cpu_time_seconds_total counter\ntest_cpu_time_seconds_total 10\n");

        rooms.Remove("game:*");
        rooms["chat:*"] = 4;
        total = 12;
        var second = _collector.Render();
        second.ShouldContain("test_subscriptions{room_pattern=\"chat:*\"} 4\n");
        second.ShouldNotContain("game:*");
        second.ShouldContain("test_cpu_time_seconds_total 12\n", Case.Sensitive, "an observable counter reports its total, not an increment");
    }

    [Fact]
    public void AnObservableCallbackThatThrowsDoesNotFailTheScrape()
    {
        _meter.CreateObservableGauge<int>("test.broken", (Func<int>)(() => throw new NotSupportedException("broken")));
        _meter.CreateObservableGauge("test.working", () => 7);

        var text = _collector.Render();
        text.ShouldContain("test_working 7\n");
        text.ShouldContain("# TYPE test_broken gauge\n");
        AssertValidExposition(text);
    }

    [Fact]
    public void MetricsWithoutMeasurementsStillHaveHelpAndType()
    {
        _meter.CreateCounter<long>("test.rare.events", "{event}", "Rare.");
        var text = _collector.Render();
        text.ShouldContain("# HELP test_rare_events_total Rare.\n# TYPE test_rare_events_total counter\n");
        AssertValidExposition(text);
    }

    [Fact]
    public void MetersOfAnotherHostsMeterFactoryAreIgnored()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        using var otherServices = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var factory = services.GetRequiredService<IMeterFactory>();
        var other = otherServices.GetRequiredService<IMeterFactory>();
        using var collector = new PrometheusMetricsCollector(factory, m => m.Name == _meterName);
        collector.Start();

        factory.Create(_meterName).CreateCounter<long>("test.mine").Add(1);
        other.Create(_meterName).CreateCounter<long>("test.theirs").Add(1);
        _meter.CreateCounter<long>("test.static").Add(1);

        var text = collector.Render();
        text.ShouldContain("test_mine_total 1\n");
        text.ShouldContain("test_static_total 1\n");
        text.ShouldNotContain("test_theirs");
    }

    [Fact]
    public void ConcurrentMeasurementsAreAllCounted()
    {
        var counter = _meter.CreateCounter<long>("test.concurrent");
        var histogram = _meter.CreateHistogram<double>("test.concurrent.latency", "s");
        Parallel.For(0, 4, _ =>
        {
            for (var i = 0; i < 10_000; i++)
            {
                counter.Add(1, new KeyValuePair<string, object?>("k", i % 3));
                histogram.Record(0.001);
            }
        });

        var text = _collector.Render();
        text.ShouldContain("test_concurrent_total{k=\"0\"} 13336\n");
        text.ShouldContain("test_concurrent_total{k=\"1\"} 13332\n");
        text.ShouldContain("test_concurrent_latency_seconds_count 40000\n");
        text.ShouldContain("test_concurrent_latency_seconds_bucket{le=\"0.005\"} 40000\n");
    }

    /// <summary>Every line is a HELP, a TYPE (once per name, before its samples) or a well-formed sample of a declared metric.</summary>
    private static void AssertValidExposition(string text)
    {
        text.ShouldEndWith("\n");
        var declared = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in text.TrimEnd('\n').Split('\n'))
        {
            if (line.StartsWith("# HELP ", StringComparison.Ordinal))
            {
                continue;
            }

            var type = TypeLine().Match(line);
            if (type.Success)
            {
                declared.TryAdd(type.Groups[1].Value, type.Groups[2].Value).ShouldBeTrue($"one TYPE per name: {line}");
                continue;
            }

            var sample = SampleLine().Match(line);
            sample.Success.ShouldBeTrue($"a valid sample line: {line}");
            var name = sample.Groups[1].Value;
            declared.Keys.ShouldContain(n => name == n || name == n + "_bucket" || name == n + "_sum" || name == n + "_count", $"{name} is declared");
        }
    }

    [GeneratedRegex("^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram)$")]
    private static partial Regex TypeLine();

    [GeneratedRegex("""^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{([a-zA-Z_][a-zA-Z0-9_]*="([^"\\\n]|\\["\\n])*",?)*\})? (-?[0-9.eE+-]+|\+Inf|-Inf|NaN)$""")]
    private static partial Regex SampleLine();

    [GeneratedRegex("le=\"([^\"]+)\"")]
    private static partial Regex BucketBound();
}
