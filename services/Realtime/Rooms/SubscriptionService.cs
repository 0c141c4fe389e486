using System.Collections.Concurrent;
using Fanout.Contracts.Wire;
using Fanout.History;
using Fanout.Realtime.Options;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace Fanout.Realtime.Rooms;

/// <summary>
/// Subscribes and unsubscribes connections. With <c>afterSeq</c>, the connection first gets every event after it
/// from history while the room buffers live events for it, then the buffered events after the last replayed one,
/// then it joins the live members — no gap and no duplicate between replay and live, however they interleave.
/// </summary>
public sealed class SubscriptionService(RoomRegistry registry, IHistoryReader history, IRoomSender sender, IOptions<RealtimeOptions> options)
{
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, RoomChannel>> _connections = new(StringComparer.Ordinal);
    private readonly int _pageSize = options.Value.HistoryPageSize;

    public int ConnectionCount => _connections.Count;

    public int SubscriptionCount => _connections.Values.Sum(rooms => rooms.Count);

    public void Connected(string connectionId) => _connections.TryAdd(connectionId, new ConcurrentDictionary<string, RoomChannel>(StringComparer.Ordinal));

    public async Task DisconnectedAsync(string connectionId)
    {
        if (_connections.TryRemove(connectionId, out var rooms))
        {
            foreach (var (_, channel) in rooms)
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

        if (held.TryRemove(room, out var previous))
        {
            await LeaveAsync(connectionId, previous);
        }

        var channel = await registry.AcquireAsync(room, cancellationToken);
        held[room] = channel;
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
            if (held.TryRemove(KeyValuePair.Create(room, channel)))
            {
                await LeaveAsync(connectionId, channel);
            }

            throw;
        }
    }

    /// <summary>Once this returns, no further event of the room is written to the connection.</summary>
    public async Task<bool> UnsubscribeAsync(string connectionId, string room)
    {
        if (_connections.TryGetValue(connectionId, out var held) && held.TryRemove(room, out var channel))
        {
            await LeaveAsync(connectionId, channel);
            return true;
        }

        return false;
    }

    private static async Task<SubscribeResult> GoLiveAsync(string connectionId, RoomChannel channel, bool recovered = false)
    {
        await channel.Gate.WaitAsync();
        try
        {
            await channel.JoinLiveAsync(connectionId);
            return new SubscribeResult(channel.Room, channel.Epoch, channel.LastSeq, recovered, 0);
        }
        finally
        {
            channel.Gate.Release();
        }
    }

    private async Task<SubscribeResult> ReplayThenGoLiveAsync(
        string connectionId, RoomChannel channel, long afterSeq, string? epoch, CancellationToken cancellationToken)
    {
        if (afterSeq < 0)
        {
            throw new HubException("Subscribe: afterSeq must be 0 or greater (or null to go live from now)");
        }

        await channel.Gate.WaitAsync(cancellationToken);
        try
        {
            channel.StartReplay(connectionId);
        }
        finally
        {
            channel.Gate.Release();
        }

        var first = await history.ReadAfterAsync(channel.Room, afterSeq, _pageSize, cancellationToken);
        var position = first.Position;
        if (!string.IsNullOrEmpty(epoch) && position.Epoch.Length > 0 && epoch != position.Epoch)
        {
            // Another lifetime of the room's history: the seqs the client knows mean nothing here.
            await LeaveAsync(connectionId, channel, release: false);
            return await GoLiveAsync(connectionId, channel);
        }

        if (afterSeq > position.LastSeq)
        {
            throw new HubException(
                $"Subscribe: afterSeq {afterSeq} is beyond the room's last seq {position.LastSeq} (epoch '{position.Epoch}')");
        }

        var cursor = afterSeq;
        var replayed = 0;
        var page = first;
        while (true)
        {
            foreach (var roomEvent in page.Events)
            {
                await sender.SendToConnectionAsync(connectionId, roomEvent);
                cursor = roomEvent.Seq;
                replayed++;
            }

            if (page.Events.Count == 0 || cursor >= position.LastSeq)
            {
                break;
            }

            page = await history.ReadAfterAsync(channel.Room, cursor, _pageSize, cancellationToken);
        }

        await channel.Gate.WaitAsync(CancellationToken.None);
        try
        {
            var (at, _) = await channel.FinishReplayAsync(connectionId, cursor);
            return new SubscribeResult(channel.Room, channel.Epoch.Length > 0 ? channel.Epoch : position.Epoch, at, true, replayed);
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
