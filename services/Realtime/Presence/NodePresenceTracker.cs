using System.Collections.Concurrent;
using System.Security.Claims;
using System.Threading.Channels;
using Fanout.PresenceStore;
using Fanout.Realtime.Collections;
using Microsoft.Extensions.Options;

namespace Fanout.Realtime.Presence;

/// <summary>
/// This node's own truth about presence: which connection (of which user) holds which room. The hub tells it every
/// subscribe, unsubscribe and disconnect; it queues the matching store changes, in order, for
/// <see cref="NodePresenceSync"/>, and can hand out its whole state to reconcile the store with. It never waits on Redis,
/// so presence never slows a subscribe and an outage never blocks one.
/// </summary>
public sealed class NodePresenceTracker(IOptions<Options.RealtimeOptions> options, IOptions<NodePresenceOptions> presence)
{
    private readonly string _nodeId = options.Value.NodeId;
    private readonly string _nameClaim = presence.Value.NameClaim;
    private readonly ConcurrentDictionary<string, ConnectionPresence> _connections = new(StringComparer.Ordinal);
    private readonly Channel<PresenceChange> _changes = Channel.CreateUnbounded<PresenceChange>(new UnboundedChannelOptions { SingleReader = true });
    private int _subscriptions;

    public string NodeId => _nodeId;

    public int Connections => _connections.Count;

    public int Subscriptions => Volatile.Read(ref _subscriptions);

    public ChannelReader<PresenceChange> Changes => _changes.Reader;

    /// <summary>A connection of <paramref name="user"/> (its <c>sub</c> is the user id; its name claim, if configured, the name).</summary>
    public void Connected(string connectionId, string userId, ClaimsPrincipal? user)
    {
        var name = _nameClaim.Length > 0 ? user?.FindFirst(_nameClaim)?.Value : null;
        _connections[connectionId] = new ConnectionPresence(userId, string.IsNullOrEmpty(name) ? null : name);
    }

    public void Joined(string connectionId, string room)
    {
        if (_connections.TryGetValue(connectionId, out var connection))
        {
            lock (connection)
            {
                if (!connection.Closed && connection.Rooms.Add(room))
                {
                    Interlocked.Increment(ref _subscriptions);
                    _changes.Writer.TryWrite(PresenceChange.Add(Entry(connectionId, room, connection)));
                }
            }
        }
    }

    public void Left(string connectionId, string room)
    {
        if (_connections.TryGetValue(connectionId, out var connection))
        {
            lock (connection)
            {
                if (connection.Rooms.Remove(room))
                {
                    Interlocked.Decrement(ref _subscriptions);
                    _changes.Writer.TryWrite(PresenceChange.Remove(new PresenceEntryKey(room, connectionId)));
                }
            }
        }
    }

    public void Disconnected(string connectionId)
    {
        if (_connections.TryRemove(connectionId, out var connection))
        {
            lock (connection)
            {
                connection.Closed = true;
                foreach (var room in connection.Rooms)
                {
                    Interlocked.Decrement(ref _subscriptions);
                    _changes.Writer.TryWrite(PresenceChange.Remove(new PresenceEntryKey(room, connectionId)));
                }

                connection.Rooms.Clear();
            }
        }
    }

    public bool Holds(string connectionId, string room)
    {
        if (!_connections.TryGetValue(connectionId, out var connection))
        {
            return false;
        }

        lock (connection)
        {
            return connection.Rooms.Contains(room);
        }
    }

    /// <summary>Every entry this node holds now.</summary>
    public IReadOnlyList<PresenceEntry> Snapshot()
    {
        var entries = new List<PresenceEntry>();
        foreach (var (connectionId, connection) in _connections)
        {
            lock (connection)
            {
                entries.AddRange(connection.Rooms.Select(room => Entry(connectionId, room, connection)));
            }
        }

        return entries;
    }

    private PresenceEntry Entry(string connectionId, string room, ConnectionPresence connection) =>
        new(room, _nodeId, connectionId, connection.UserId, connection.Name);

    private sealed class ConnectionPresence(string userId, string? name)
    {
        public string UserId { get; } = userId;

        public string? Name { get; } = name;

        /// <summary>Guarded by locking this <see cref="ConnectionPresence"/>.</summary>
        public SmallStringSet Rooms { get; } = new();

        public bool Closed { get; set; }
    }
}
