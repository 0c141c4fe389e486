namespace Fanout.Bench.Metrics;

/// <summary>
/// Memory at one point of a run, in MiB: the node's resident set (from <c>/proc</c>) and what its <c>/metrics</c>
/// says (connections open, managed heap and GC-committed memory after its last GC, gen2 collections so far; null
/// when it does not answer), and this bench process's own resident set and managed heap.
/// </summary>
public sealed record MemoryReading(
    double NodeRssMiB,
    long? NodeConnections,
    double? NodeGcHeapMiB,
    double? NodeGcCommittedMiB,
    long? NodeGen2Collections,
    double BenchRssMiB,
    double BenchGcHeapMiB)
{
    private const double BytesPerMiB = 1024 * 1024;

    public static async Task<MemoryReading> TakeAsync(int nodePid, Uri nodeMetricsUrl, HttpClient http, CancellationToken cancellationToken)
    {
        var rss = ProcMemory.RssBytes(nodePid)
            ?? throw new InvalidOperationException($"cannot read the resident memory of pid {nodePid} (/proc/{nodePid}/status): is that the node, and does it run?");
        var gauges = await NodeGauges.ScrapeAsync(http, nodeMetricsUrl, cancellationToken);
        return new MemoryReading(
            MiB(rss),
            gauges?.Connections,
            MiB(gauges?.GcHeapBytes),
            MiB(gauges?.GcCommittedBytes),
            gauges?.Gen2Collections,
            MiB(ProcMemory.RssBytes(Environment.ProcessId) ?? 0),
            MiB(GC.GetTotalMemory(forceFullCollection: false)));
    }

    private static double MiB(long bytes) => Math.Round(bytes / BytesPerMiB, 3);

    private static double? MiB(long? bytes) => bytes is { } b ? MiB(b) : null;
}
