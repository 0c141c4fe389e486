using System.Security.Claims;
using Fanout.Contracts.Wire;
using Fanout.Realtime.Connections;
using Fanout.Realtime.Hubs;
using Fanout.Realtime.Metrics;
using Fanout.Realtime.Presence;

namespace Fanout.Realtime.Rooms;

/// <summary>
/// The path from a hub call to its <see cref="Room"/>, and the one owner of what a connection holds
/// (<see cref="NodeConnection.Rooms"/>): a first subscribe takes a reference on the room (creating it); a re-subscribe
/// goes to the room the connection holds, which replaces the subscription only when it succeeds; an unsubscribe or a
/// disconnect leaves and lets go of it. Presence hears of a join when a subscribe succeeded and of a leave when the room
/// is let go of. The handshake itself is the room's.
/// </summary>
public sealed class SubscriptionService(RoomRegistry registry, NodeConnections connections, NodePresenceTracker presence)
{
    /// <summary>Connections open on this node (a gauge reads it).</summary>
    public int ConnectionCount => connections.Count;

    /// <summary>The hub connected: the record takes the user's presence name.</summary>
    public void Connected(string connectionId, ClaimsPrincipal? user)
    {
        if (connections.TryGet(connectionId, out var connection))
        {
            connection.PresenceName = presence.NameOf(user);
        }
    }

    /// <summary>Leaves every room the connection holds; a subscribe still running then leaves its own room when it fails.</summary>
    public async Task DisconnectedAsync(string connectionId)
    {
        if (!connections.TryGet(connectionId, out var connection))
        {
            return;
        }

        RealtimeMetrics.Disconnected();
        Room[] rooms;
        lock (connection.Rooms)
        {
            connection.Closed = true;
            rooms = [.. connection.Rooms.Select(entry => entry.Value.Room)];
            foreach (var (room, subscription) in connection.Rooms)
            {
                if (subscription.Present)
                {
                    presence.Left(connection, room);
                }
            }

            connection.Rooms.Clear();
        }

        foreach (var room in rooms)
        {
            await room.LeaveAsync(connectionId);
            await registry.ReleaseAsync(room);
        }
    }

    public async Task<SubscribeResult> SubscribeAsync(string connectionId, string room, long? afterSeq, string? epoch, CancellationToken cancellationToken)
    {
        if (!connections.TryGet(connectionId, out var connection))
        {
            throw Closing();
        }

        RoomSubscription? held;
        lock (connection.Rooms)
        {
            connection.Rooms.TryGetValue(room, out held);
        }

        if (held is not null)
        {
            // A re-subscribe: the room replaces the subscription if it succeeds, and leaves it as it was if not.
            var again = await held.Room.SubscribeAsync(connectionId, afterSeq, epoch, cancellationToken);
            MarkPresent(connection, room, held);
            return again;
        }

        var target = await registry.AcquireAsync(room, cancellationToken);
        var subscription = new RoomSubscription(target);
        bool open;
        lock (connection.Rooms)
        {
            // Held before it subscribes, so that a disconnect meanwhile leaves it.
            open = !connection.Closed;
            if (open)
            {
                connection.Rooms.Set(room, subscription);
            }
        }

        if (!open)
        {
            await registry.ReleaseAsync(target);
            throw Closing();
        }

        try
        {
            var result = await target.SubscribeAsync(connectionId, afterSeq, epoch, cancellationToken);
            if (!MarkPresent(connection, room, subscription))
            {
                // Disconnected while subscribing: the disconnect let go of the room; take back what the subscribe added.
                await target.LeaveAsync(connectionId);
                throw Closing();
            }

            return result;
        }
        catch
        {
            bool removed;
            lock (connection.Rooms)
            {
                removed = connection.Rooms.TryGetValue(room, out var current) && ReferenceEquals(current, subscription) &&
                    connection.Rooms.Remove(room, out _);
            }

            if (removed)
            {
                await target.LeaveAsync(connectionId);
                await registry.ReleaseAsync(target);
            }

            throw;
        }
    }

    /// <summary>Once this returns, no further event of the room is written to the connection. True when it held the room.</summary>
    public async Task<bool> UnsubscribeAsync(string connectionId, string room)
    {
        if (!connections.TryGet(connectionId, out var connection))
        {
            return false;
        }

        RoomSubscription? subscription;
        lock (connection.Rooms)
        {
            subscription = connection.Rooms.Remove(room, out var removed) ? removed : null;
            if (subscription is { Present: true })
            {
                presence.Left(connection, room);
            }
        }

        if (subscription is null)
        {
            return false;
        }

        await subscription.Room.LeaveAsync(connectionId);
        await registry.ReleaseAsync(subscription.Room);
        return true;
    }

    /// <summary>A subscribe succeeded: presence hears of the join (once). False when the connection ended meanwhile.</summary>
    private bool MarkPresent(NodeConnection connection, string room, RoomSubscription subscription)
    {
        lock (connection.Rooms)
        {
            if (connection.Closed || !connection.Rooms.TryGetValue(room, out var current) || !ReferenceEquals(current, subscription))
            {
                return false;
            }

            if (!subscription.Present)
            {
                subscription.Present = true;
                presence.Joined(connection, room);
            }

            return true;
        }
    }

    private static Microsoft.AspNetCore.SignalR.HubException Closing() =>
        HubErrors.Create(HubErrors.Closing, "Subscribe: the connection is closing");
}
