using Fanout.ServiceDefaults.Metrics;

namespace Fanout.UnitTests.Metrics;

public sealed class PrometheusNamesTests
{
    [Theory]
    [InlineData("fanout.ingest.events.accepted", "{event}", PrometheusMetricType.Counter, "fanout_ingest_events_accepted_total")]
    [InlineData("fanout.history.queries", null, PrometheusMetricType.Counter, "fanout_history_queries_total")]
    [InlineData("http.server.request.duration", "s", PrometheusMetricType.Histogram, "http_server_request_duration_seconds")]
    [InlineData("dotnet.gc.pause.time", "s", PrometheusMetricType.Counter, "dotnet_gc_pause_time_seconds_total")]
    [InlineData("dotnet.process.memory.working_set", "By", PrometheusMetricType.Gauge, "dotnet_process_memory_working_set_bytes")]
    [InlineData("fanout.realtime.connections", "{connection}", PrometheusMetricType.Gauge, "fanout_realtime_connections")]
    [InlineData("request.latency_seconds", "s", PrometheusMetricType.Histogram, "request_latency_seconds")]
    [InlineData("requests.total", "{request}", PrometheusMetricType.Counter, "requests_total")]
    [InlineData("cache.hit_ratio", "1", PrometheusMetricType.Gauge, "cache_hit_ratio")]
    [InlineData("cache.usage", "1", PrometheusMetricType.Gauge, "cache_usage_ratio")]
    [InlineData("cache.hits", "1", PrometheusMetricType.Counter, "cache_hits_total")]
    [InlineData("net.throughput", "By/s", PrometheusMetricType.Gauge, "net_throughput_bytes_per_second")]
    [InlineData("queue.rate", "{message}/s", PrometheusMetricType.Gauge, "queue_rate_per_second")]
    [InlineData("task.time", "ms", PrometheusMetricType.Histogram, "task_time_milliseconds")]
    [InlineData("2xx-responses..by/route", null, PrometheusMetricType.Gauge, "_2xx_responses_by_route")]
    [InlineData("ns:metric.name", null, PrometheusMetricType.Gauge, "ns:metric_name")]
    public void InstrumentNamesBecomePrometheusNamesWithUnitAndTotalSuffixes(string name, string? unit, PrometheusMetricType type, string expected) =>
        PrometheusNames.MetricName(name, unit, type).ShouldBe(expected);

    [Theory]
    [InlineData("http.route", "http_route")]
    [InlineData("http.response.status_code", "http_response_status_code")]
    [InlineData("room:pattern", "room_pattern")]
    [InlineData("1st", "_1st")]
    public void LabelNamesKeepOnlyLettersDigitsAndUnderscores(string key, string expected) => PrometheusNames.LabelName(key).ShouldBe(expected);

    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("say \"hi\"", "say \\\"hi\\\"")]
    [InlineData("C:\\path", "C:\\\\path")]
    [InlineData("two\nlines", "two\\nlines")]
    [InlineData("\\\"\n", "\\\\\\\"\\n")]
    public void LabelValuesEscapeBackslashQuoteAndNewline(string value, string expected) => PrometheusNames.EscapeLabelValue(value).ShouldBe(expected);

    [Fact]
    public void HelpTextEscapesBackslashAndNewlineButNotQuotes() =>
        PrometheusNames.EscapeHelp("a \"b\" \\ c\nd").ShouldBe("a \"b\" \\\\ c\\nd");

    [Theory]
    [InlineData(double.PositiveInfinity, "+Inf")]
    [InlineData(double.NegativeInfinity, "-Inf")]
    [InlineData(double.NaN, "NaN")]
    [InlineData(0.0, "0")]
    [InlineData(42.0, "42")]
    [InlineData(0.005, "0.005")]
    [InlineData(-1.5, "-1.5")]
    [InlineData(1e21, "1E+21")]
    public void ValuesUseInvariantShortestFormsAndPrometheusInfinities(double value, string expected) =>
        PrometheusNames.FormatValue(value).ShouldBe(expected);

    [Fact]
    public void TagValuesBecomeLabelText()
    {
        PrometheusNames.LabelValue(true).ShouldBe("true");
        PrometheusNames.LabelValue(false).ShouldBe("false");
        PrometheusNames.LabelValue(200).ShouldBe("200");
        PrometheusNames.LabelValue(null).ShouldBe(string.Empty);
        PrometheusNames.LabelValue(0.25).ShouldBe("0.25");
    }
}
