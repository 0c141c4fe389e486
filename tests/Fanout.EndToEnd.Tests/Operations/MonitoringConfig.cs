using System.Text.Json;
using System.Text.RegularExpressions;
using Fanout.Testing.Stack;

namespace Fanout.EndToEnd.Tests.Operations;

/// <summary>
/// The monitoring files of compose/: the Prometheus scrape config and alert rules (YAML, read with python3-yaml as
/// promtool is not installed here) and the Grafana dashboard, and the metric names their PromQL expressions use.
/// </summary>
internal static partial class MonitoringConfig
{
    public static string PrometheusConfigPath => Path.Combine(ComposeFile.Directory, "prometheus", "prometheus.yml");

    public static string AlertsPath => Path.Combine(ComposeFile.Directory, "prometheus", "alerts.yml");

    public static string DashboardPath => Path.Combine(ComposeFile.Directory, "grafana", "fanout-dashboard.json");

    private static readonly HashSet<string> Keywords = new(StringComparer.Ordinal) { "and", "or", "unless", "bool", "offset", "inf", "nan", "Inf", "NaN" };

    /// <summary>Metrics Prometheus makes itself rather than scrapes.</summary>
    public static readonly IReadOnlySet<string> Synthetic = new HashSet<string>(StringComparer.Ordinal) { "up", "scrape_duration_seconds", "scrape_samples_scraped" };

    /// <summary>A YAML file as JSON (python3-yaml: <c>yaml.safe_load</c>, which fails on invalid YAML).</summary>
    public static async Task<JsonElement> ReadYamlAsync(string path)
    {
        var json = await HostTools.RunAsync(HostTools.Python,
            ["-c", "import json, sys, yaml; json.dump(yaml.safe_load(sys.stdin), sys.stdout)"], standardInput: await File.ReadAllTextAsync(path));
        if (json.ExitCode != 0)
        {
            throw new InvalidOperationException($"{path} is not valid YAML: {json.Describe()}");
        }

        using var document = JsonDocument.Parse(json.Output);
        return document.RootElement.Clone();
    }

    public static async Task<IReadOnlyList<JsonElement>> AlertRulesAsync()
    {
        var alerts = await ReadYamlAsync(AlertsPath);
        return [.. alerts.GetProperty("groups").EnumerateArray().SelectMany(g => g.GetProperty("rules").EnumerateArray())];
    }

    public static async Task<IReadOnlyList<string>> DashboardExpressionsAsync()
    {
        using var document = JsonDocument.Parse(await File.ReadAllTextAsync(DashboardPath));
        return [.. document.RootElement.GetProperty("panels").EnumerateArray()
            .SelectMany(p => p.GetProperty("targets").EnumerateArray())
            .Select(t => t.GetProperty("expr").GetString()!)];
    }

    /// <summary>
    /// The metric names a PromQL expression selects: identifiers outside label matchers, range selectors, strings
    /// and grouping clauses that are neither functions nor keywords.
    /// </summary>
    public static IReadOnlySet<string> MetricNames(string expression)
    {
        var text = LabelMatchers().Replace(expression, " ");
        text = Grouping().Replace(text, " ");
        text = RangeSelectors().Replace(text, " ");
        text = Strings().Replace(text, " ");
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (Match token in Identifier().Matches(text))
        {
            var rest = text.AsSpan(token.Index + token.Length).TrimStart();
            if (!Keywords.Contains(token.Value) && !(rest.Length > 0 && rest[0] == '('))
            {
                names.Add(token.Value);
            }
        }

        return names;
    }

    /// <summary>The names a scrape exposes: each <c># TYPE</c> name, and a histogram's <c>_bucket</c>, <c>_sum</c>, <c>_count</c>.</summary>
    public static IReadOnlySet<string> ExposedNames(string exposition)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (Match type in TypeLine().Matches(exposition))
        {
            var name = type.Groups["name"].Value;
            names.Add(name);
            if (type.Groups["type"].Value == "histogram")
            {
                names.Add(name + "_bucket");
                names.Add(name + "_sum");
                names.Add(name + "_count");
            }
        }

        return names;
    }

    [GeneratedRegex("""\{[^}]*\}""")]
    private static partial Regex LabelMatchers();

    [GeneratedRegex("""\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)""")]
    private static partial Regex Grouping();

    [GeneratedRegex("""\[[^\]]*\]""")]
    private static partial Regex RangeSelectors();

    [GeneratedRegex(""""[^"]*"|'[^']*'"""")]
    private static partial Regex Strings();

    [GeneratedRegex("[a-zA-Z_:][a-zA-Z0-9_:]*")]
    private static partial Regex Identifier();

    [GeneratedRegex("^# TYPE (?<name>[a-zA-Z_:][a-zA-Z0-9_:]*) (?<type>counter|gauge|histogram|summary|untyped)$", RegexOptions.Multiline)]
    private static partial Regex TypeLine();
}
