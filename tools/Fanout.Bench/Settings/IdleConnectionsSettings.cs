namespace Fanout.Bench.Settings;

/// <summary>
/// The idle-connections memory run: <see cref="Connections"/> clients on node <see cref="NodeIndex"/>, spread over
/// <see cref="Rooms"/> rooms, and how long the node is left alone before each RSS reading.
/// </summary>
public sealed record IdleConnectionsSettings
{
    public int Connections { get; init; } = 10_000;

    /// <summary>Index into the node list of the node that gets every connection.</summary>
    public int NodeIndex { get; init; }

    /// <summary>Rooms the connections are spread over (connection i joins room floor(i / (connections / rooms))).</summary>
    public int Rooms { get; init; } = 100;

    /// <summary>Seconds to wait before each reading: before connecting, once all are subscribed, once all are closed.</summary>
    public double SettleSeconds { get; init; } = 10;

    /// <summary>Events published to every room while connected, to prove the connections are live (0: none).</summary>
    public int ProbeEventsPerRoom { get; init; } = 1;

    /// <summary>The node's process id; null: the <c>--server-pids</c> entry labelled <see cref="NodeLabel"/>.</summary>
    public int? NodePid { get; init; }

    /// <summary>The label the node's pid has in <c>--server-pids</c>: <c>realtime-1</c> for node index 0, as tools/bench/run.sh names them.</summary>
    public string NodeLabel => $"realtime-{NodeIndex + 1}";

    public int ConnectionsPerRoom => Connections / Rooms;

    /// <summary>Throws when a setting is out of range for a run against <paramref name="nodes"/> nodes.</summary>
    public void Validate(int nodes)
    {
        if (Connections <= 0 || Rooms <= 0 || Connections % Rooms != 0)
        {
            throw new ArgumentException("--connections must be a positive multiple of --rooms (every room gets as many connections)");
        }

        if (NodeIndex < 0 || NodeIndex >= nodes)
        {
            throw new ArgumentException($"--node-index must be 0..{nodes - 1}");
        }

        if (SettleSeconds < 0 || ProbeEventsPerRoom < 0)
        {
            throw new ArgumentException("--settle-seconds and --probe-events-per-room must not be negative");
        }
    }

    /// <summary>The node's process: <see cref="NodePid"/> when given, else its entry in <paramref name="serverPids"/>.</summary>
    public ServerPid NodeProcess(IReadOnlyList<ServerPid> serverPids)
    {
        if (NodePid is { } pid)
        {
            return new ServerPid(NodeLabel, pid);
        }

        return serverPids.FirstOrDefault(p => string.Equals(p.Label, NodeLabel, StringComparison.Ordinal))
            ?? throw new ArgumentException($"no pid for node {NodeIndex}: pass --server-pids {NodeLabel}=PID,... or --node-pid PID");
    }
}
