using System.Diagnostics.Metrics;
using Fanout.PresenceStore;
using Microsoft.Extensions.Options;

namespace Fanout.Presence.Metrics;

/// <summary>
/// The presence service's metrics (meter <c>Fanout.Presence</c>): the live nodes and each one's heartbeat age, from
/// the node registry as <see cref="NodeHeartbeatMonitor"/> last read it, and the nodes declared dead.
/// </summary>
public sealed class PresenceMetrics
{
    public const string MeterName = "Fanout.Presence";

    private readonly Counter<long> _lapsed;

    public PresenceMetrics(IMeterFactory meterFactory, NodeHeartbeatMonitor monitor, TimeProvider clock, IOptions<PresenceOptions> presence)
    {
        var meter = meterFactory.Create(MeterName);
        var ttl = presence.Value.HeartbeatTtl.TotalSeconds;
        _lapsed = meter.CreateCounter<long>("fanout.presence.nodes.lapsed", "{node}",
            "Realtime nodes declared dead because their heartbeat lapsed (claimed by this presence instance).");
        meter.CreateObservableGauge("fanout.presence.nodes.live", () => ObserveLive(monitor), "{node}",
            "Realtime nodes whose registration has not lapsed, as last read from Redis.");
        meter.CreateObservableGauge("fanout.presence.node.heartbeat.age", () => ObserveAges(monitor, clock.GetUtcNow()), "s",
            "Seconds since each live node's last heartbeat (by node); a node is declared dead when this passes the TTL.");
        meter.CreateObservableGauge("fanout.presence.heartbeat.ttl", () => ttl, "s",
            "How long a node's heartbeat is valid (3 × Presence:HeartbeatIntervalMs).");
    }

    /// <summary>The sweeper declared a node dead.</summary>
    public void Lapsed() => _lapsed.Add(1);

    private static IEnumerable<Measurement<int>> ObserveLive(NodeHeartbeatMonitor monitor) =>
        monitor.Nodes is { } nodes ? [new Measurement<int>(nodes.Count)] : [];

    private static IEnumerable<Measurement<double>> ObserveAges(NodeHeartbeatMonitor monitor, DateTimeOffset now) =>
        monitor.Nodes is { } nodes
            ? nodes.Select(n => new Measurement<double>(Math.Max(0, (now - n.LastHeartbeatAt).TotalSeconds), new KeyValuePair<string, object?>("node", n.NodeId)))
            : [];
}
