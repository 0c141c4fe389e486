namespace Fanout.Realtime.Rooms;

/// <summary>Joining live, replaying first, and leaving (all under <see cref="Gate"/>).</summary>
public sealed partial class RoomChannel
{
    /// <summary>Under <see cref="Gate"/>: makes a connection a live member from the room's current position.</summary>
    public async Task JoinLiveAsync(string connectionId)
    {
        await _sender.AddToRoomAsync(connectionId, Room);
        _live.Add(connectionId);
    }

    /// <summary>Under <see cref="Gate"/>: starts buffering live events for a connection that replays history first.</summary>
    public void StartReplay(string connectionId) => _replaying[connectionId] = [];

    /// <summary>
    /// Under <see cref="Gate"/>: ends a replay that delivered up to <paramref name="replayedUpTo"/>. The connection may
    /// be ahead of the room here (history had events whose routed messages have not reached this node yet), so the
    /// room first catches up from history to where the connection is — otherwise those events would reach it again
    /// through the live group. Then the live events buffered meanwhile that come after its position are sent, and the
    /// connection becomes a live member. Returns the seq the connection is at and how many buffered events it got.
    /// </summary>
    public async Task<(long Position, int Sent)> FinishReplayAsync(string connectionId, long replayedUpTo)
    {
        if (!_replaying.ContainsKey(connectionId))
        {
            // The connection left (or closed) while replaying: it must not become a live member.
            throw new Microsoft.AspNetCore.SignalR.HubException("Subscribe: the subscription ended while replaying");
        }

        if (replayedUpTo > LastSeq)
        {
            await FillFromHistoryAsync(replayedUpTo);
        }

        _replaying.Remove(connectionId, out var buffered);
        var position = replayedUpTo;
        var sent = 0;
        foreach (var roomEvent in buffered!)
        {
            if (roomEvent.Seq > position)
            {
                await _sender.SendToConnectionAsync(connectionId, roomEvent);
                position = roomEvent.Seq;
                sent++;
            }
        }

        await JoinLiveAsync(connectionId);
        return (Math.Max(position, LastSeq), sent);
    }

    /// <summary>Under <see cref="Gate"/>: removes a connection, live or replaying. True when it was a member.</summary>
    public async Task<bool> LeaveAsync(string connectionId)
    {
        var wasReplaying = _replaying.Remove(connectionId);
        var wasLive = _live.Remove(connectionId);
        if (wasLive)
        {
            await _sender.RemoveFromRoomAsync(connectionId, Room);
        }

        return wasLive || wasReplaying;
    }
}
