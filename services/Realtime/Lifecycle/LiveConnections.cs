using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR;

namespace Fanout.Realtime.Lifecycle;

/// <summary>The hub connections open on this node, so that a drain can tell each of them to reconnect elsewhere.</summary>
public sealed class LiveConnections
{
    private readonly ConcurrentDictionary<string, HubConnectionContext> _connections = new(StringComparer.Ordinal);
    private readonly Action<object?> _forget;

    public LiveConnections() =>
        _forget = state => _connections.TryRemove(((HubConnectionContext)state!).ConnectionId, out _);

    public int Count => _connections.Count;

    /// <summary>Remembers <paramref name="connection"/> until it ends (one callback for all: no state object per connection).</summary>
    public void Track(HubConnectionContext connection)
    {
        _connections[connection.ConnectionId] = connection;
        connection.ConnectionAborted.Register(_forget, connection);
    }

    public IReadOnlyList<HubConnectionContext> Snapshot() => _connections.Values.ToList();
}
