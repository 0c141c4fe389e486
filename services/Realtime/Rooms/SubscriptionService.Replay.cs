using Fanout.Contracts.Wire;
using Fanout.History;
using Fanout.Realtime.Metrics;
using Microsoft.AspNetCore.SignalR;

namespace Fanout.Realtime.Rooms;

/// <summary>
/// Subscribing with <c>afterSeq</c>: decide whether the connection can be recovered, replay (from the hot cache, or
/// history) while the room buffers live events for it, then go live. All or nothing: a connection that cannot get
/// every event after <c>afterSeq</c> gets none and goes live with the reason.
/// </summary>
public sealed partial class SubscriptionService
{
    private async Task<SubscribeResult> ReplayThenGoLiveAsync(
        string connectionId, RoomChannel channel, long afterSeq, string? epoch, CancellationToken cancellationToken)
    {
        if (afterSeq < 0)
        {
            throw new HubException("Subscribe: afterSeq must be 0 or greater (or null to go live from now)");
        }

        // From here every event the room delivers is buffered for the connection, so replaying up to the room's
        // position now and then the buffer leaves no gap.
        RoomPosition atStart;
        await channel.Gate.WaitAsync(cancellationToken);
        try
        {
            channel.StartReplay(connectionId);
            atStart = channel.Position;
        }
        finally
        {
            channel.Gate.Release();
        }

        var (position, reason) = await CheckRecoveryAsync(channel.Room, atStart, afterSeq, epoch, cancellationToken);
        IReadOnlyList<RoomEvent> events = [];
        if (reason is null && position.LastSeq > afterSeq)
        {
            var read = await cache.ReadAsync(channel.Room, position.Epoch, afterSeq + 1, position.LastSeq, cancellationToken);
            events = read.Events ?? [];
            reason = read.Events is not null ? null
                : read.Position?.Epoch != position.Epoch ? RecoveryReasons.EpochChanged
                : RecoveryReasons.Trimmed;
        }

        if (reason is not null)
        {
            RecoveryLog.NotRecovered(logger, connectionId, channel.Room, afterSeq, reason);
            RealtimeMetrics.ReplayNotRecovered(reason);
            await LeaveAsync(connectionId, channel, release: false);
            return await GoLiveAsync(connectionId, channel, reason);
        }

        foreach (var roomEvent in events)
        {
            await sender.SendToConnectionAsync(connectionId, roomEvent);
        }

        await channel.Gate.WaitAsync(CancellationToken.None);
        try
        {
            var (at, _) = await channel.FinishReplayAsync(connectionId, Math.Max(afterSeq, position.LastSeq));
            RealtimeMetrics.ReplayRecovered(events.Count);
            return new SubscribeResult(channel.Room, position.Epoch, at, true, events.Count);
        }
        finally
        {
            channel.Gate.Release();
        }
    }

    /// <summary>
    /// The recovery rules, in order: another epoch (<c>epochChanged</c>), <c>afterSeq</c> beyond the room (a hub
    /// error), events no longer retained (<c>trimmed</c>), more than <c>MaxReplay</c> missing (<c>tooMany</c>). The
    /// node's own position answers unless the client is ahead of it or names another epoch: then history decides.
    /// </summary>
    private async Task<(RoomPosition Position, string? Reason)> CheckRecoveryAsync(
        string room, RoomPosition position, long afterSeq, string? epoch, CancellationToken cancellationToken)
    {
        var checksEpoch = !string.IsNullOrEmpty(epoch);
        if ((checksEpoch && epoch != position.Epoch) || afterSeq > position.LastSeq)
        {
            // The node may not have seen the newest events (or epoch) yet.
            position = await history.GetPositionAsync(room, cancellationToken);
        }

        if (checksEpoch && epoch != position.Epoch)
        {
            return (position, RecoveryReasons.EpochChanged);
        }

        if (afterSeq > position.LastSeq)
        {
            throw new HubException(
                $"Subscribe: afterSeq {afterSeq} is beyond the room's last seq {position.LastSeq} (epoch '{position.Epoch}')");
        }

        var missing = position.LastSeq - afterSeq;
        if (missing > 0 && afterSeq + 1 < retention.FloorOf(room, position))
        {
            return (position, RecoveryReasons.Trimmed);
        }

        return missing > _maxReplay ? (position, RecoveryReasons.TooMany) : (position, null);
    }
}
