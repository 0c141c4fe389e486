using System.Globalization;

namespace Fanout.Bench.Metrics;

/// <summary>
/// A realtime node's own figures from its Prometheus endpoint (<c>/metrics</c>): hub connections open now, the
/// managed heap and the memory the GC had committed after its last collection, and how many full (gen2) collections
/// ran so far. Each is null when the node does not report it.
/// </summary>
public sealed record NodeGauges(long? Connections, long? GcHeapBytes, long? GcCommittedBytes, long? Gen2Collections)
{
    private const string Gen2 = "gen2 collections";

    /// <summary>Scrapes <paramref name="metricsUrl"/>; null when the node does not answer.</summary>
    public static async Task<NodeGauges?> ScrapeAsync(HttpClient http, Uri metricsUrl, CancellationToken cancellationToken)
    {
        try
        {
            return Parse(await http.GetStringAsync(metricsUrl, cancellationToken));
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    /// <summary>Reads the gauges from Prometheus text format (the series of one name are summed over their labels).</summary>
    public static NodeGauges Parse(string text)
    {
        var sums = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n', StringSplitOptions.TrimEntries))
        {
            if (Sample(line) is not var (name, labels, value))
            {
                continue;
            }

            var key = name == "dotnet_gc_collections_total" ? (labels.Contains("\"gen2\"", StringComparison.Ordinal) ? Gen2 : null) : name;
            if (key is not null)
            {
                sums[key] = sums.GetValueOrDefault(key) + value;
            }
        }

        long? Get(string key) => sums.TryGetValue(key, out var v) ? (long)v : null;
        return new NodeGauges(
            Get("fanout_realtime_connections"),
            Get("dotnet_gc_last_collection_heap_size_bytes"),
            Get("dotnet_gc_last_collection_memory_committed_size_bytes"),
            Get(Gen2));
    }

    /// <summary>One sample line, <c>name{labels} value [timestamp]</c>; null for comments, blank and malformed lines.</summary>
    private static (string Name, string Labels, double Value)? Sample(string line)
    {
        var nameEnd = line.IndexOfAny(['{', ' ']);
        if (line.StartsWith('#') || nameEnd <= 0)
        {
            return null;
        }

        var labelsEnd = line[nameEnd] == '{' ? line.IndexOf('}', nameEnd) + 1 : nameEnd;
        if (labelsEnd <= 0)
        {
            return null;
        }

        var value = line[labelsEnd..].Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
        return double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
            ? (line[..nameEnd], line[nameEnd..labelsEnd], number)
            : null;
    }
}
