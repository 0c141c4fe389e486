using System.Globalization;
using System.Text.RegularExpressions;
using Fanout.EndToEnd.Tests.Support;
using Fanout.Testing;
using Fanout.Testing.Stack;

namespace Fanout.EndToEnd.Tests.Operations;

/// <summary>A small stack of its own (one sequencer, one node, presence) whose /metrics the tests scrape.</summary>
public sealed class MetricsStackFixture() : StackLifetime(new StackOptions { Sequencers = 1, RealtimeNodes = 1 });

/// <summary>
/// Every service's <c>/metrics</c> as Prometheus scrapes it, after real traffic: the instruments count what happened,
/// and every metric the alert rules and the dashboard use is one the services export.
/// </summary>
public sealed partial class MetricsScrapeTests(MetricsStackFixture fixture) : IClassFixture<MetricsStackFixture>
{
    /// <summary>With the stack's API key: Ingest's <c>/metrics</c> needs one (the other services ignore it).</summary>
    private static readonly HttpClient Http = new()
    {
        Timeout = TimeSpan.FromSeconds(10),
        DefaultRequestHeaders = { Authorization = new("Bearer", Fanout.Testing.Stack.FanoutStack.ApiKey) },
    };

    [Fact]
    public async Task EveryServiceCountsTheEventPathAndEveryAlertAndPanelUsesExportedMetrics()
    {
        var stack = fixture.Stack;
        var room = $"metrics:{Guid.NewGuid():N}"[..20];

        // Traffic: a live subscriber, an event from Ingest and one from the hub, then a recovering subscribe.
        await using var client = await RecordingClient.ConnectAsync(stack, 0);
        await client.SubscribeAsync(room);
        await fixture.Ingest.PublishAsync(room, "note", new { n = 1 });
        await client.PublishAsync(room, "note", new { n = 2 });
        await client.WaitForAsync(room, 2);
        await using (var recovering = await RecordingClient.ConnectAsync(stack, 0))
        {
            (await recovering.SubscribeAsync(room, afterSeq: 0)).Recovered.ShouldBeTrue();
        }

        var ingest = await ScrapeAsync(stack.Ingest);
        Value(ingest, "fanout_ingest_events_accepted_total").ShouldBeGreaterThanOrEqualTo(1);
        Value(ingest, "http_server_request_duration_seconds_count", "http_route=\"/v1/rooms/{room}/events\"").ShouldBeGreaterThanOrEqualTo(1);

        var sequencer = await ScrapeAsync(stack.Sequencers[0]);
        Value(sequencer, "fanout_sequencer_events_persisted_total").ShouldBeGreaterThanOrEqualTo(2);
        Value(sequencer, "fanout_sequencer_events_routed_total").ShouldBeGreaterThanOrEqualTo(2);
        Value(sequencer, "fanout_sequencer_persist_latency_seconds_count").ShouldBeGreaterThanOrEqualTo(2);
        Value(sequencer, "fanout_sequencer_persist_latency_seconds_bucket", "le=\"+Inf\"")
            .ShouldBe(Value(sequencer, "fanout_sequencer_persist_latency_seconds_count"));
        await Eventually.HoldsAsync(async () => Samples(await ScrapeAsync(stack.Sequencers[0]), "fanout_sequencer_partition_backlog").Count == 8,
            "the sequencer reports the backlog of each of the 8 partitions");

        var node = await ScrapeAsync(stack.Nodes[0]);
        Value(node, "fanout_realtime_events_published_total").ShouldBeGreaterThanOrEqualTo(1);
        Value(node, "fanout_realtime_events_routed_total").ShouldBeGreaterThanOrEqualTo(2);
        Value(node, "fanout_realtime_events_delivered_total").ShouldBeGreaterThanOrEqualTo(2);
        Value(node, "fanout_realtime_delivery_latency_seconds_count").ShouldBeGreaterThanOrEqualTo(2);
        Value(node, "fanout_realtime_replays_total", "recovered=\"true\"").ShouldBeGreaterThanOrEqualTo(1);
        Value(node, "fanout_realtime_connections").ShouldBeGreaterThanOrEqualTo(1);
        // The recovering client closed just before: the node forgets its subscription when it hears of the close, which
        // can be after this scrape; poll until it has (only the first client's subscription remains).
        await Eventually.HoldsAsync(
            async () => Value(await ScrapeAsync(stack.Nodes[0]), "fanout_realtime_subscriptions", "room_pattern=\"metrics:*\"") == 1,
            "the node counts one subscription of the metrics room once the recovering client's close has reached it");
        Value(node, "fanout_realtime_rooms", "room_pattern=\"metrics:*\"").ShouldBe(1);
        await Eventually.HoldsAsync(async () => Samples(await ScrapeAsync(stack.Nodes[0]), "fanout_realtime_disconnects_total").Sum() >= 1,
            "the recovering client's disconnect is counted");

        var presence = await ScrapeAsync(stack.Presence!);
        await Eventually.HoldsAsync(async () =>
        {
            presence = await ScrapeAsync(stack.Presence!);
            return Samples(presence, "fanout_presence_node_heartbeat_age_seconds").Count >= 1;
        }, "the presence service reports the node's heartbeat age");
        Value(presence, "fanout_presence_heartbeat_ttl_seconds").ShouldBeGreaterThan(0);
        Value(presence, "fanout_presence_nodes_live").ShouldBeGreaterThanOrEqualTo(1);

        // Every metric an alert or a dashboard panel selects is exported by some service.
        var exposed = new[] { ingest, sequencer, node, presence }.SelectMany(MonitoringConfig.ExposedNames).ToHashSet(StringComparer.Ordinal);
        var rules = await MonitoringConfig.AlertRulesAsync();
        foreach (var rule in rules)
        {
            foreach (var name in MonitoringConfig.MetricNames(rule.GetProperty("expr").GetString()!).Except(MonitoringConfig.Synthetic))
            {
                exposed.ShouldContain(name, $"alert {rule.GetProperty("alert").GetString()} uses {name}");
            }
        }

        foreach (var expression in await MonitoringConfig.DashboardExpressionsAsync())
        {
            foreach (var name in MonitoringConfig.MetricNames(expression))
            {
                exposed.ShouldContain(name, $"the dashboard query {expression} uses {name}");
            }
        }
    }

    [Fact]
    public async Task MetricsAreServedAsPrometheusTextFormatOnEveryService()
    {
        foreach (var service in fixture.Stack.All)
        {
            using var response = await Http.GetAsync(new Uri(service.BaseAddress, "/metrics"));
            response.IsSuccessStatusCode.ShouldBeTrue($"{service.Name} serves /metrics");
            response.Content.Headers.ContentType!.ToString().ShouldBe("text/plain; version=0.0.4; charset=utf-8");
            var text = await response.Content.ReadAsStringAsync();
            text.ShouldContain("# TYPE http_server_request_duration_seconds histogram", Case.Sensitive, $"{service.Name} exports the ASP.NET Core request metrics");
            text.ShouldContain("# TYPE dotnet_", Case.Sensitive, $"{service.Name} exports runtime metrics");
            foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.StartsWith('#')))
            {
                SampleLine().IsMatch(line).ShouldBeTrue($"{service.Name}: '{line}' is a valid sample line");
            }
        }
    }

    private static async Task<string> ScrapeAsync(ServiceProcess service) =>
        await Http.GetStringAsync(new Uri(service.BaseAddress, "/metrics"));

    /// <summary>The values of <paramref name="name"/>'s samples whose labels contain <paramref name="label"/> (any when null).</summary>
    private static List<double> Samples(string exposition, string name, string? label = null) =>
        [.. exposition.Split('\n')
            .Select(l => SampleLine().Match(l))
            .Where(m => m.Success && m.Groups["name"].Value == name && (label is null || m.Groups["labels"].Value.Contains(label, StringComparison.Ordinal)))
            .Select(m => double.Parse(m.Groups["value"].Value.Replace("+Inf", "Infinity", StringComparison.Ordinal), CultureInfo.InvariantCulture))];

    /// <summary>The sum of the matching samples; fails when there is none.</summary>
    private static double Value(string exposition, string name, string? label = null)
    {
        var samples = Samples(exposition, name, label);
        samples.ShouldNotBeEmpty($"a sample of {name}{(label is null ? "" : " with " + label)}");
        return samples.Sum();
    }

    [GeneratedRegex("""^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(?<labels>\{([a-zA-Z_][a-zA-Z0-9_]*="([^"\\\n]|\\["\\n])*",?)*\})? (?<value>-?[0-9.eE+-]+|\+Inf|-Inf|NaN)$""")]
    private static partial Regex SampleLine();
}
