using Fanout.Contracts.Wire;
using Microsoft.AspNetCore.SignalR;

namespace Fanout.Realtime.Rooms;

/// <summary>Subscribing with <c>afterSeq</c>: replay from history while the room buffers live events, then go live.</summary>
public sealed partial class SubscriptionService
{
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
}
