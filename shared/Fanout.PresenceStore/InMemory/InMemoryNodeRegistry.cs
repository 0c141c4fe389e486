namespace Fanout.PresenceStore.InMemory;

/// <summary><see cref="INodeRegistry"/> for a single process (embedded mode, tests).</summary>
public sealed class InMemoryNodeRegistry(InMemoryPresenceState state) : INodeRegistry
{
    public Task<bool> HeartbeatAsync(NodeHeartbeat heartbeat, TimeSpan ttl, CancellationToken cancellationToken = default)
    {
        lock (state.Gate)
        {
            var now = state.Now;
            var wasRegistered = state.Nodes.TryGetValue(heartbeat.NodeId, out var previous) && previous.ExpiresAt > now;
            state.Nodes[heartbeat.NodeId] = (heartbeat, now, now + ttl);
            return Task.FromResult(!wasRegistered);
        }
    }

    public Task DeregisterAsync(string nodeId, CancellationToken cancellationToken = default)
    {
        lock (state.Gate)
        {
            state.Nodes.Remove(nodeId);
            state.Evicting.Add(nodeId);
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<string>> GetPendingEvictionsAsync(CancellationToken cancellationToken = default)
    {
        lock (state.Gate)
        {
            return Task.FromResult<IReadOnlyList<string>>(state.Evicting.ToList());
        }
    }

    public Task CompleteEvictionAsync(string nodeId, CancellationToken cancellationToken = default)
    {
        lock (state.Gate)
        {
            state.Evicting.Remove(nodeId);
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<LiveNode>> GetLiveNodesAsync(CancellationToken cancellationToken = default)
    {
        lock (state.Gate)
        {
            var now = state.Now;
            IReadOnlyList<LiveNode> live = state.Nodes.Values
                .Where(n => n.ExpiresAt > now)
                .Select(n => new LiveNode(n.Heartbeat.NodeId, n.Heartbeat.Address, n.Heartbeat.Connections, n.Heartbeat.Subscriptions,
                    n.Heartbeat.StartedAt, n.At, n.ExpiresAt, n.Heartbeat.Rooms, Math.Round(n.Heartbeat.DeliveriesPerSecond, 1)))
                .OrderBy(n => n.NodeId, StringComparer.Ordinal)
                .ToList();
            return Task.FromResult(live);
        }
    }

    public Task<IReadOnlyList<string>> ClaimLapsedAsync(int max, CancellationToken cancellationToken = default)
    {
        lock (state.Gate)
        {
            var now = state.Now;
            IReadOnlyList<string> lapsed = state.Nodes.Where(n => n.Value.ExpiresAt <= now).Select(n => n.Key).Take(max).ToList();
            foreach (var nodeId in lapsed)
            {
                state.Nodes.Remove(nodeId);
                state.Evicting.Add(nodeId);
            }

            return Task.FromResult(lapsed);
        }
    }
}
