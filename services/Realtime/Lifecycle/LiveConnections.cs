using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR;

namespace Fanout.Realtime.Lifecycle;

/// <summary>The hub connections open on this node, so that a drain can tell each of them to reconnect elsewhere.</summary>
public sealed class LiveConnections
{
    private readonly ConcurrentDictionary<string, HubConnectionContext> _connections = new(StringComparer.Ordinal);

    public int Count => _connections.Count;

    /// <summary>Remembers <paramref name="connection"/> until it ends.</summary>
    public void Track(HubConnectionContext connection)
    {
        _connections[connection.ConnectionId] = connection;
        connection.ConnectionAborted.Register(
            static state =>
            {
                var (connections, id) = ((ConcurrentDictionary<string, HubConnectionContext>, string))state!;
                connections.TryRemove(id, out _);
            },
            (_connections, connection.ConnectionId));
    }

    public IReadOnlyList<HubConnectionContext> Snapshot() => _connections.Values.ToList();
}
