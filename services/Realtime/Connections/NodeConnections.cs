using System.Collections.Concurrent;

namespace Fanout.Realtime.Connections;

/// <summary>The node's hub connections: the one registry of <see cref="NodeConnection"/> records, by connection id.</summary>
public sealed class NodeConnections
{
    private readonly ConcurrentDictionary<string, NodeConnection> _connections = new(StringComparer.Ordinal);
    private int _count;

    /// <summary>Connections open on this node (gauges, drain, memory trim read it).</summary>
    public int Count => Volatile.Read(ref _count);

    public void Add(NodeConnection connection)
    {
        if (_connections.TryAdd(connection.Id, connection))
        {
            Interlocked.Increment(ref _count);
        }
    }

    public bool TryGet(string connectionId, out NodeConnection connection) => _connections.TryGetValue(connectionId, out connection!);

    public bool TryRemove(string connectionId, out NodeConnection connection)
    {
        if (!_connections.TryRemove(connectionId, out connection!))
        {
            return false;
        }

        Interlocked.Decrement(ref _count);
        return true;
    }

    /// <summary>Every open connection (a snapshot: a drain, a presence reconcile, a send to all).</summary>
    public IEnumerable<NodeConnection> All => _connections.Values;

    public IReadOnlyList<NodeConnection> Snapshot() => [.. _connections.Values];
}
