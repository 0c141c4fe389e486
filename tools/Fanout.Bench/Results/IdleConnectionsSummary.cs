using Fanout.Bench.Metrics;

namespace Fanout.Bench.Results;

/// <summary>
/// The idle-connections run on one node: memory before connecting, with every connection subscribed and idle,
/// after the probe events, and after every connection closed (each reading after the settle time).
/// Growth per connection = (connected − before) node RSS / connections that succeeded; returned = the share of
/// that growth gone after closing.
/// </summary>
public sealed record IdleConnectionsSummary(
    string Node,
    Uri NodeUrl,
    int Pid,
    Clients.TokenPlacement TokenIn,
    int Connections,
    int ConnectionsOk,
    double SettleSeconds,
    double DisconnectSeconds,
    long ProbeExpected,
    long ProbeDelivered,
    MemoryReading Before,
    MemoryReading Connected,
    MemoryReading AfterProbe,
    MemoryReading After)
{
    public double NodeRssGrowthMiB => Math.Round(Connected.NodeRssMiB - Before.NodeRssMiB, 3);

    /// <summary>Node RSS growth per connection (KiB); null when none connected.</summary>
    public double? GrowthPerConnectionKiB => PerConnectionKiB(NodeRssGrowthMiB);

    /// <summary>Per cent of the growth given back once every connection closed; null when there was no growth.</summary>
    public double? ReturnedPercent => NodeRssGrowthMiB > 0
        ? Math.Round(100 * (Connected.NodeRssMiB - After.NodeRssMiB) / NodeRssGrowthMiB, 1)
        : null;

    /// <summary>The bench process's own RSS growth per connection (KiB): what one client HubConnection costs.</summary>
    public double? BenchGrowthPerConnectionKiB => PerConnectionKiB(Connected.BenchRssMiB - Before.BenchRssMiB);

    private double? PerConnectionKiB(double growthMiB) =>
        ConnectionsOk > 0 ? Math.Round(growthMiB * 1024 / ConnectionsOk, 2) : null;
}
