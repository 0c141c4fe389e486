using System.Security.Claims;
using System.Threading.Channels;
using Fanout.PresenceStore;
using Fanout.Realtime.Connections;
using Microsoft.Extensions.Options;

namespace Fanout.Realtime.Presence;

/// <summary>
/// This node's own truth about presence, read from the node's connection records (<see cref="NodeConnections"/>): which
/// connection (of which user) is present in which room. <see cref="Rooms.SubscriptionService"/> tells it every join and
/// leave (under the connection's lock, as it changes the record); it queues the matching store changes, in order, for
/// <see cref="NodePresenceSync"/>, and can hand out its whole state to reconcile the store with. It never waits on Redis,
/// so presence never slows a subscribe and an outage never blocks one.
/// </summary>
public sealed class NodePresenceTracker(
    NodeConnections connections, IOptions<Options.RealtimeOptions> options, IOptions<NodePresenceOptions> presence)
{
    private readonly string _nodeId = options.Value.NodeId;
    private readonly string _nameClaim = presence.Value.NameClaim;
    private readonly Channel<PresenceChange> _changes = Channel.CreateUnbounded<PresenceChange>(new UnboundedChannelOptions { SingleReader = true });
    private int _subscriptions;

    public string NodeId => _nodeId;

    public int Connections => connections.Count;

    public int Subscriptions => Volatile.Read(ref _subscriptions);

    public ChannelReader<PresenceChange> Changes => _changes.Reader;

    /// <summary>The name presence shows for the connection's user: its token's name claim, if configured.</summary>
    public string? NameOf(ClaimsPrincipal? user)
    {
        var name = _nameClaim.Length > 0 ? user?.FindFirst(_nameClaim)?.Value : null;
        return string.IsNullOrEmpty(name) ? null : name;
    }

    /// <summary>Under the connection's lock: it is now present in <paramref name="room"/>.</summary>
    public void Joined(NodeConnection connection, string room)
    {
        Interlocked.Increment(ref _subscriptions);
        _changes.Writer.TryWrite(PresenceChange.Add(Entry(connection, room)));
    }

    /// <summary>Under the connection's lock: it is no longer present in <paramref name="room"/>.</summary>
    public void Left(NodeConnection connection, string room)
    {
        Interlocked.Decrement(ref _subscriptions);
        _changes.Writer.TryWrite(PresenceChange.Remove(new PresenceEntryKey(room, connection.Id)));
    }

    /// <summary>True when the connection is present in <paramref name="room"/> (subscribed, its join announced).</summary>
    public bool Holds(string connectionId, string room)
    {
        if (!connections.TryGet(connectionId, out var connection))
        {
            return false;
        }

        lock (connection.Rooms)
        {
            return connection.Rooms.TryGetValue(room, out var subscription) && subscription.Present;
        }
    }

    /// <summary>Every entry this node holds now.</summary>
    public IReadOnlyList<PresenceEntry> Snapshot()
    {
        var entries = new List<PresenceEntry>();
        foreach (var connection in connections.All)
        {
            lock (connection.Rooms)
            {
                foreach (var (room, subscription) in connection.Rooms)
                {
                    if (subscription.Present)
                    {
                        entries.Add(Entry(connection, room));
                    }
                }
            }
        }

        return entries;
    }

    private PresenceEntry Entry(NodeConnection connection, string room) =>
        new(room, _nodeId, connection.Id, connection.UserId ?? string.Empty, connection.PresenceName);
}
