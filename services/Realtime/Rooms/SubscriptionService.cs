using System.Collections.Concurrent;
using Fanout.Contracts.Wire;
using Fanout.Realtime.Collections;
using Fanout.Realtime.Hubs;
using Fanout.Realtime.Metrics;

namespace Fanout.Realtime.Rooms;

/// <summary>
/// Which rooms each connection holds, and the path from a hub call to its <see cref="Room"/>: a first subscribe takes a
/// reference on the room (creating it), a re-subscribe goes to the room it holds (which replaces the subscription only
/// when it succeeds), an unsubscribe or a disconnect leaves and lets go of it. The handshake itself is the room's.
/// </summary>
public sealed class SubscriptionService(RoomRegistry registry)
{
    // Per connection, the rooms it holds: a small map, locked by whoever reads or changes it (a subscribe can race
    // the connection's disconnect).
    private readonly ConcurrentDictionary<string, SmallStringDictionary<Room>> _connections = new(StringComparer.Ordinal);

    /// <summary>Connections open on this node (a gauge reads it).</summary>
    public int ConnectionCount => _connections.Count;

    public void Connected(string connectionId) => _connections.TryAdd(connectionId, new SmallStringDictionary<Room>());

    /// <summary>Leaves every room the connection holds; a subscribe still running then leaves its own room when it fails.</summary>
    public async Task DisconnectedAsync(string connectionId)
    {
        if (_connections.TryRemove(connectionId, out var held))
        {
            RealtimeMetrics.Disconnected();
            Room[] rooms;
            lock (held)
            {
                rooms = [.. held.Select(entry => entry.Value)];
                held.Clear();
            }

            foreach (var room in rooms)
            {
                await room.LeaveAsync(connectionId);
                await registry.ReleaseAsync(room);
            }
        }
    }

    public async Task<SubscribeResult> SubscribeAsync(string connectionId, string room, long? afterSeq, string? epoch, CancellationToken cancellationToken)
    {
        if (!_connections.TryGetValue(connectionId, out var held))
        {
            throw Closing();
        }

        Room? target;
        lock (held)
        {
            held.TryGetValue(room, out target);
        }

        if (target is not null)
        {
            // A re-subscribe: the room replaces the subscription if it succeeds, and leaves it as it was if not.
            return await target.SubscribeAsync(connectionId, afterSeq, epoch, cancellationToken);
        }

        target = await registry.AcquireAsync(room, cancellationToken);
        lock (held)
        {
            // Held before it subscribes, so that a disconnect meanwhile leaves it.
            held.Set(room, target);
        }

        try
        {
            if (!IsOpen(connectionId, held))
            {
                throw Closing();
            }

            var result = await target.SubscribeAsync(connectionId, afterSeq, epoch, cancellationToken);
            if (!IsOpen(connectionId, held))
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
            lock (held)
            {
                removed = held.Remove(room, target);
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
        if (!_connections.TryGetValue(connectionId, out var held))
        {
            return false;
        }

        Room? target;
        lock (held)
        {
            target = held.Remove(room, out var removed) ? removed : null;
        }

        if (target is null)
        {
            return false;
        }

        await target.LeaveAsync(connectionId);
        await registry.ReleaseAsync(target);
        return true;
    }

    /// <summary>True when the connection holds <paramref name="room"/>.</summary>
    public bool Holds(string connectionId, string room)
    {
        if (!_connections.TryGetValue(connectionId, out var held))
        {
            return false;
        }

        lock (held)
        {
            return held.TryGetValue(room, out _);
        }
    }

    private bool IsOpen(string connectionId, SmallStringDictionary<Room> held) =>
        _connections.TryGetValue(connectionId, out var current) && ReferenceEquals(current, held);

    private static Microsoft.AspNetCore.SignalR.HubException Closing() =>
        HubErrors.Create(HubErrors.Closing, "Subscribe: the connection is closing");
}
