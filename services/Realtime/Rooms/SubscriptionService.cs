using System.Collections.Concurrent;
using Fanout.Contracts.Wire;
using Fanout.History;
using Fanout.History.Retention;
using Fanout.Realtime.Collections;
using Fanout.Realtime.Metrics;
using Fanout.Realtime.Options;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace Fanout.Realtime.Rooms;

/// <summary>
/// Subscribes and unsubscribes connections. With <c>afterSeq</c>, the connection first gets every event after it
/// from history while the room buffers live events for it, then the buffered events after the last replayed one,
/// then it joins the live members — no gap and no duplicate between replay and live, however they interleave.
/// </summary>
public sealed partial class SubscriptionService(
    RoomRegistry registry,
    IHistoryReader history,
    RoomEventCache cache,
    RetentionPolicy retention,
    IRoomSender sender,
    IOptions<RecoveryOptions> recovery,
    ILogger<SubscriptionService> logger)
{
    // Per connection, the rooms it holds: a small map, locked by whoever reads or changes it (a subscribe can race
    // the connection's disconnect).
    private readonly ConcurrentDictionary<string, SmallStringDictionary<RoomChannel>> _connections = new(StringComparer.Ordinal);
    private readonly int _maxReplay = recovery.Value.MaxReplay;

    /// <summary>Connections open on this node (a gauge reads it).</summary>
    public int ConnectionCount => _connections.Count;

    public void Connected(string connectionId) => _connections.TryAdd(connectionId, new SmallStringDictionary<RoomChannel>());

    /// <summary>Leaves every room the connection holds; a subscribe still running then leaves its own room when it fails.</summary>
    public async Task DisconnectedAsync(string connectionId)
    {
        if (_connections.TryRemove(connectionId, out var rooms))
        {
            RealtimeMetrics.Disconnected();
            RoomChannel[] channels;
            lock (rooms)
            {
                channels = [.. rooms.Select(entry => entry.Value)];
                rooms.Clear();
            }

            foreach (var channel in channels)
            {
                await LeaveAsync(connectionId, channel);
            }
        }
    }

    public async Task<SubscribeResult> SubscribeAsync(string connectionId, string room, long? afterSeq, string? epoch, CancellationToken cancellationToken)
    {
        if (!_connections.TryGetValue(connectionId, out var held))
        {
            throw new HubException("Subscribe: the connection is closing");
        }

        if (Take(held, room) is { } previous)
        {
            await LeaveAsync(connectionId, previous);
        }

        var channel = await registry.AcquireAsync(room, cancellationToken);
        lock (held)
        {
            held.Set(room, channel);
        }

        try
        {
            if (!_connections.TryGetValue(connectionId, out var current) || !ReferenceEquals(current, held))
            {
                throw new HubException("Subscribe: the connection is closing");
            }

            return afterSeq is null
                ? await GoLiveAsync(connectionId, channel)
                : await ReplayThenGoLiveAsync(connectionId, channel, afterSeq.Value, epoch, cancellationToken);
        }
        catch
        {
            bool removed;
            lock (held)
            {
                removed = held.Remove(room, channel);
            }

            if (removed)
            {
                await LeaveAsync(connectionId, channel);
            }

            throw;
        }
    }

    /// <summary>Once this returns, no further event of the room is written to the connection.</summary>
    public async Task<bool> UnsubscribeAsync(string connectionId, string room)
    {
        if (_connections.TryGetValue(connectionId, out var held) && Take(held, room) is { } channel)
        {
            await LeaveAsync(connectionId, channel);
            return true;
        }

        return false;
    }

    /// <summary>Removes <paramref name="room"/> from the rooms a connection holds, giving its channel if it was held.</summary>
    private static RoomChannel? Take(SmallStringDictionary<RoomChannel> held, string room)
    {
        lock (held)
        {
            return held.Remove(room, out var channel) ? channel : null;
        }
    }

    /// <summary>Joins the live members from the room's current position; <paramref name="reason"/> says why a recovery was refused.</summary>
    private static async Task<SubscribeResult> GoLiveAsync(string connectionId, RoomChannel channel, string? reason = null)
    {
        await channel.Gate.WaitAsync();
        try
        {
            await channel.JoinLiveAsync(connectionId);
            return new SubscribeResult(channel.Room, channel.Epoch, channel.LastSeq, false, 0, reason);
        }
        finally
        {
            channel.Gate.Release();
        }
    }

    private async Task LeaveAsync(string connectionId, RoomChannel channel, bool release = true)
    {
        await channel.Gate.WaitAsync();
        try
        {
            await channel.LeaveAsync(connectionId);
        }
        finally
        {
            channel.Gate.Release();
        }

        if (release)
        {
            await registry.ReleaseAsync(channel);
        }
    }
}
