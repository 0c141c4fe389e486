using Fanout.Realtime.Collections;
using Fanout.Realtime.Rooms;
using Microsoft.AspNetCore.SignalR;

namespace Fanout.Realtime.Connections;

/// <summary>
/// Everything the node keeps about one hub connection, in one record: its SignalR context, its outbox, the rooms it holds
/// (with whether its presence there was announced), its presence name, and the user the limits counted it against. Made by the
/// lifetime manager when SignalR hands it the connection, before the hub hears of it, and forgotten after the hub's
/// disconnect (<see cref="NodeConnections"/>). <see cref="Rooms"/> and <see cref="Closed"/> are guarded by locking
/// <see cref="Rooms"/>.
/// </summary>
public sealed class NodeConnection(HubConnectionContext context, ConnectionOutbox outbox)
{
    public string Id => context.ConnectionId;

    /// <summary>The token's <c>sub</c>.</summary>
    public string? UserId => context.UserIdentifier;

    public HubConnectionContext Context => context;

    public ConnectionOutbox Outbox => outbox;

    /// <summary>The name presence shows for the user (from the token's name claim), if any; set when the hub connects.</summary>
    public string? PresenceName { get; set; }

    /// <summary>The user the limits counted the connection against, once they did (so that its end is counted too).</summary>
    public string? CountedUser { get; set; }

    /// <summary>The rooms the connection holds, subscribing or subscribed. Lock it to read or change it.</summary>
    public SmallStringDictionary<RoomSubscription> Rooms { get; } = new();

    /// <summary>Under the lock of <see cref="Rooms"/>: the connection ended; it may hold nothing more.</summary>
    public bool Closed { get; set; }
}

/// <summary>One room a connection holds: the room, and whether the connection's presence there was announced.</summary>
public sealed class RoomSubscription(Room room)
{
    public Room Room { get; } = room;

    /// <summary>Under the connection's lock: its subscribe succeeded and presence was told (a join).</summary>
    public bool Present { get; set; }
}
