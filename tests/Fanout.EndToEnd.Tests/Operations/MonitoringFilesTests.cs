using System.Text.Json;
using System.Text.RegularExpressions;

namespace Fanout.EndToEnd.Tests.Operations;

/// <summary>
/// compose/prometheus and compose/grafana, and the monitoring profile of compose/compose.yaml, checked without Docker
/// or promtool. That the metric names exist is checked against the running services in <see cref="MetricsScrapeTests"/>.
/// </summary>
public sealed partial class MonitoringFilesTests
{
    private static readonly string[] ScrapedServices = ["ingest", "fanout-1", "fanout-2", "presence", "realtime-1", "realtime-2"];

    [Fact]
    public async Task TheMonitoringProfileRunsPrometheusAndGrafanaWithTheRepositoryFiles()
    {
        var compose = await ComposeFile.ResolveDefaultsAsync();
        compose.Services().Where(s => s.Service.InProfile()).Select(s => s.Name).ShouldBe(["grafana", "prometheus"], ignoreOrder: true);
        foreach (var name in new[] { "prometheus", "grafana" })
        {
            var service = compose.Service(name);
            service.GetProperty("profiles").EnumerateArray().Select(p => p.GetString()).ShouldBe(["monitoring"]);
            service.TryGetProperty("healthcheck", out _).ShouldBeTrue($"{name} has a healthcheck");
        }

        Mounts(compose.Service("prometheus")).ShouldContain(m => m.EndsWith("compose/prometheus:/etc/prometheus:ro", StringComparison.Ordinal));
        Mounts(compose.Service("grafana")).ShouldContain(m => m.EndsWith("compose/grafana/provisioning:/etc/grafana/provisioning:ro", StringComparison.Ordinal));
        Mounts(compose.Service("grafana")).ShouldContain(m => m.EndsWith("compose/grafana/fanout-dashboard.json:/var/lib/grafana/dashboards/fanout-dashboard.json:ro", StringComparison.Ordinal));
        compose.Service("grafana").DependsOn().ShouldBe(new Dictionary<string, string> { ["prometheus"] = "service_healthy" });

        // Prometheus scrapes /metrics of every .NET service on its container port (Ingest's management port) and loads the alert rules.
        var config = await MonitoringConfig.ReadYamlAsync(MonitoringConfig.PrometheusConfigPath);
        config.GetProperty("rule_files").EnumerateArray().Select(f => f.GetString()).ShouldBe(["/etc/prometheus/alerts.yml"]);
        var fanoutJobs = config.GetProperty("scrape_configs").EnumerateArray().Where(j => j.GetProperty("job_name").GetString() != "prometheus").ToList();
        fanoutJobs.ShouldAllBe(j => j.GetProperty("metrics_path").GetString() == "/metrics");
        fanoutJobs.SelectMany(j => j.GetProperty("static_configs").EnumerateArray()).SelectMany(c => c.GetProperty("targets").EnumerateArray())
            .Select(t => t.GetString()).ShouldBe(ScrapedServices.Select(s => s + (s == "ingest" ? ":9464" : ":8080")), ignoreOrder: true);
        compose.Service("ingest").Env("Management__Port").ShouldBe("9464", "Ingest's metrics name API keys: on its internal management port");

        // The dashboard queries the provisioned data source.
        var datasources = await MonitoringConfig.ReadYamlAsync(Path.Combine(ComposeFile.Directory, "grafana", "provisioning", "datasources", "prometheus.yml"));
        var source = datasources.GetProperty("datasources")[0];
        source.GetProperty("url").GetString().ShouldBe("http://prometheus:9090");
        using var dashboard = JsonDocument.Parse(await File.ReadAllTextAsync(MonitoringConfig.DashboardPath));
        foreach (var panel in dashboard.RootElement.GetProperty("panels").EnumerateArray())
        {
            panel.GetProperty("datasource").GetProperty("uid").GetString().ShouldBe(source.GetProperty("uid").GetString());
            panel.GetProperty("targets").GetArrayLength().ShouldBeGreaterThan(0);
        }
    }

    [Fact]
    public async Task EveryAlertRuleIsWellFormed()
    {
        var alerts = await MonitoringConfig.ReadYamlAsync(MonitoringConfig.AlertsPath);
        var groups = alerts.GetProperty("groups").EnumerateArray().ToList();
        groups.ShouldNotBeEmpty();
        groups.Select(g => g.GetProperty("name").GetString()).ShouldBeUnique();

        var rules = await MonitoringConfig.AlertRulesAsync();
        rules.Select(r => r.GetProperty("alert").GetString()).ShouldBeUnique();
        foreach (var rule in rules)
        {
            var name = rule.GetProperty("alert").GetString()!;
            AlertName().IsMatch(name).ShouldBeTrue($"{name} is a valid alert name");
            rule.EnumerateObject().Select(p => p.Name).ShouldBeSubsetOf(["alert", "expr", "for", "keep_firing_for", "labels", "annotations"]);
            var expr = rule.GetProperty("expr").GetString()!;
            expr.ShouldNotBeNullOrWhiteSpace();
            expr.Count(c => c == '(').ShouldBe(expr.Count(c => c == ')'), $"{name}: balanced parentheses");
            expr.Count(c => c == '{').ShouldBe(expr.Count(c => c == '}'), $"{name}: balanced braces");
            if (rule.TryGetProperty("for", out var duration))
            {
                Duration().IsMatch(duration.GetString()!).ShouldBeTrue($"{name}: 'for' is a Prometheus duration");
            }

            rule.GetProperty("labels").GetProperty("severity").GetString().ShouldBeOneOf("critical", "warning", "info");
            rule.GetProperty("annotations").GetProperty("summary").GetString().ShouldNotBeNullOrWhiteSpace();
            MonitoringConfig.MetricNames(expr).ShouldNotBeEmpty($"{name} selects a metric");
        }

        // The alerts the operations guide describes.
        rules.Select(r => r.GetProperty("alert").GetString()).ShouldBe(
            ["FanoutTargetDown", "FanoutHigh5xxRate", "FanoutIngestBrokerUnavailable", "FanoutHighDisconnectRate", "FanoutSlowConsumerDisconnects",
             "FanoutNodeHeartbeatLate", "FanoutNodeDeclaredDead", "FanoutDeliveryLagHigh", "FanoutPersistLagHigh", "FanoutPartitionBacklogGrowing",
             "FanoutDeadLetters", "FanoutDeadLetterStuck", "FanoutRecoveryRefusedOften"], ignoreOrder: true);
        var guide = await File.ReadAllTextAsync(Path.Combine(ComposeFile.Directory, "..", "docs", "operations.md"));
        foreach (var rule in rules)
        {
            guide.ShouldContain("`" + rule.GetProperty("alert").GetString() + "`", Case.Sensitive, "docs/operations.md says what to do when it fires");
        }
    }

    [Fact]
    public void MetricNamesAreTakenFromPromQlWithoutLabelsFunctionsOrGroupings()
    {
        MonitoringConfig.MetricNames(
            """sum by (job) (rate(http_server_request_duration_seconds_count{http_response_status_code=~"5.."}[5m])) / sum by (job) (rate(x_total[5m])) > 0.05""")
            .ShouldBe(["http_server_request_duration_seconds_count", "x_total"], ignoreOrder: true);
        MonitoringConfig.MetricNames("histogram_quantile(0.99, sum by (le) (rate(a_bucket[5m]))) > scalar(max(b_seconds)) * 2 / 3 and on(node) c")
            .ShouldBe(["a_bucket", "b_seconds", "c"], ignoreOrder: true);
    }

    private static List<string> Mounts(JsonElement service) =>
        [.. service.GetProperty("volumes").EnumerateArray().Select(v => v.ValueKind == JsonValueKind.String
            ? v.GetString()!
            : $"{v.GetProperty("source").GetString()}:{v.GetProperty("target").GetString()}{(v.TryGetProperty("read_only", out var ro) && ro.GetBoolean() ? ":ro" : "")}")];

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex AlertName();

    [GeneratedRegex("^([0-9]+(ms|s|m|h|d|w|y))+$")]
    private static partial Regex Duration();
}
