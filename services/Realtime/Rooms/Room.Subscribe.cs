using Fanout.Contracts.Wire;
using Fanout.History;
using Fanout.Realtime.Hubs;
using Fanout.Realtime.Metrics;

namespace Fanout.Realtime.Rooms;

/// <summary>
/// Subscribing, top to bottom. Without a position the connection joins the live members. With <c>afterSeq</c>:
/// (1) from this moment the room buffers every event it delivers for the connection; (2) the recovery rules decide
/// whether the connection can get every event after <c>afterSeq</c>; (3) those are read (hot cache, else history) and
/// (4) written to it, paced by the client; (5) the buffered events after the last replayed one follow, and it joins the
/// live members — no gap and no duplicate, however replay and live delivery interleave. All or nothing: a connection
/// that cannot get every missed event gets none and goes live with the reason. A refused subscribe changes nothing: a
/// live member that re-subscribes and is refused (a position beyond the room, history unavailable) gets the events
/// buffered meanwhile and stays live, exactly as before the call.
/// </summary>
public sealed partial class Room
{
    public async Task<SubscribeResult> SubscribeAsync(string connectionId, long? afterSeq, string? epoch, CancellationToken cancellationToken)
    {
        if (afterSeq is not { } after)
        {
            return await GoLiveAsync(connectionId, reason: null);
        }

        // (1)
        var (start, wasLive) = await StartReplayAsync(connectionId, cancellationToken);
        RoomPosition position;
        string? reason;
        IReadOnlyList<RoomEvent> missed = [];
        try
        {
            // (2)
            (position, reason) = await CheckRecoveryAsync(start, after, epoch, cancellationToken);

            // (3)
            if (reason is null && position.LastSeq > after)
            {
                (missed, reason) = await ReadMissedAsync(position, after, cancellationToken);
            }
        }
        catch
        {
            await AbandonReplayAsync(connectionId, restoreLive: wasLive);
            throw;
        }

        if (reason is not null)
        {
            RecoveryLog.NotRecovered(_context.Logger, connectionId, Name, after, reason);
            RealtimeMetrics.ReplayNotRecovered(reason);
            return await GoLiveAsync(connectionId, reason);
        }

        // (4)
        try
        {
            await ReplayAsync(connectionId, missed);
        }
        catch
        {
            await AbandonReplayAsync(connectionId, restoreLive: false);
            throw;
        }

        // (5)
        var at = await FinishReplayAsync(connectionId, Math.Max(after, position.LastSeq));
        RealtimeMetrics.ReplayRecovered(missed.Count);
        return new SubscribeResult(Name, position.Epoch, at, true, missed.Count);
    }

    /// <summary>Removes a connection, live or replaying. True when it was a member.</summary>
    public async Task<bool> LeaveAsync(string connectionId)
    {
        await _lock.WaitAsync();
        try
        {
            var wasReplaying = _replaying.Remove(connectionId);
            var wasLive = await RemoveLiveAsync(connectionId);
            return wasLive || wasReplaying;
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>Joins the live members from the room's position now (a live member stays one: nothing changes).</summary>
    private async Task<SubscribeResult> GoLiveAsync(string connectionId, string? reason)
    {
        await _lock.WaitAsync();
        try
        {
            _replaying.Remove(connectionId);
            await AddLiveAsync(connectionId);
            return new SubscribeResult(Name, _epoch, _lastSeq, false, 0, reason);
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>(1) Starts buffering for the connection (a live member leaves the group meanwhile); the position at this moment.</summary>
    private async Task<(RoomPosition Start, bool WasLive)> StartReplayAsync(string connectionId, CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken);
        try
        {
            var wasLive = await RemoveLiveAsync(connectionId);
            _replaying[connectionId] = new ReplayBuffer(_context.SlowConsumer.MaxBufferedMessages, _context.SlowConsumer.MaxBufferedBytes);
            return (new RoomPosition(_epoch, _lastSeq) { FirstSeq = _firstSeq }, wasLive);
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>
    /// (2) The recovery rules, in order: another epoch (<c>epochChanged</c>), <c>afterSeq</c> beyond the room (a hub error),
    /// events no longer retained (<c>trimmed</c>), more than <c>MaxReplay</c> missing (<c>tooMany</c>). The room's own
    /// position answers unless the client is ahead of it or names another epoch: then history decides.
    /// </summary>
    private async Task<(RoomPosition Position, string? Reason)> CheckRecoveryAsync(
        RoomPosition position, long afterSeq, string? epoch, CancellationToken cancellationToken)
    {
        var checksEpoch = !string.IsNullOrEmpty(epoch);
        if ((checksEpoch && epoch != position.Epoch) || afterSeq > position.LastSeq)
        {
            position = await ReadPositionAsync(cancellationToken);
        }

        if (checksEpoch && epoch != position.Epoch)
        {
            return (position, RecoveryReasons.EpochChanged);
        }

        if (afterSeq > position.LastSeq)
        {
            throw HubErrors.Create(HubErrors.PositionBeyondRoom,
                $"Subscribe: afterSeq {afterSeq} is beyond the room's last seq {position.LastSeq} (epoch '{position.Epoch}')");
        }

        var missing = position.LastSeq - afterSeq;
        if (missing > 0 && afterSeq + 1 < _context.Retention.FloorOf(Name, position))
        {
            return (position, RecoveryReasons.Trimmed);
        }

        return missing > _context.MaxReplay ? (position, RecoveryReasons.TooMany) : (position, null);
    }

    /// <summary>(3) The events after <paramref name="afterSeq"/> up to the position, all of them or a reason why not.</summary>
    private async Task<(IReadOnlyList<RoomEvent> Events, string? Reason)> ReadMissedAsync(
        RoomPosition position, long afterSeq, CancellationToken cancellationToken)
    {
        var read = await _context.Cache.ReadAsync(Name, position.Epoch, afterSeq + 1, position.LastSeq, cancellationToken);
        if (read.Events is { } events)
        {
            return (events, null);
        }

        return ([], read.Position?.Epoch != position.Epoch ? RecoveryReasons.EpochChanged : RecoveryReasons.Trimmed);
    }

    /// <summary>
    /// (4) Writes the missed events in order, each as soon as the connection has taken the one before. A client that takes
    /// none for <see cref="Connections.SlowConsumerOptions.WriteStallTimeoutMs"/> is closed as slow, as in live delivery.
    /// </summary>
    private async Task ReplayAsync(string connectionId, IReadOnlyList<RoomEvent> events)
    {
        var stall = TimeSpan.FromMilliseconds(_context.SlowConsumer.WriteStallTimeoutMs);
        foreach (var roomEvent in events)
        {
            try
            {
                await _context.Sender.SendToConnectionAsync(connectionId, roomEvent).WaitAsync(stall);
            }
            catch (TimeoutException)
            {
                RecoveryLog.ReplayStalled(_context.Logger, connectionId, Name, _context.SlowConsumer.WriteStallTimeoutMs);
                _context.Sender.CloseAsSlow(connectionId);
                throw HubErrors.Create(HubErrors.Closing, "Subscribe: the connection stopped reading during the replay and is closed as slow");
            }
        }
    }

    /// <summary>
    /// (5) Ends a replay that delivered up to <paramref name="replayedUpTo"/>. The connection may be ahead of the room (history
    /// had events whose routed messages have not reached this node yet), so the room first catches up from history to
    /// where the connection is — otherwise those events would reach it again through the live group. Then the buffered
    /// events after its position are queued to it, and it joins the live members. Returns the seq it is at.
    /// </summary>
    private async Task<long> FinishReplayAsync(string connectionId, long replayedUpTo)
    {
        await _lock.WaitAsync();
        try
        {
            if (!_replaying.ContainsKey(connectionId))
            {
                // The connection left (or closed) while replaying: it must not become a live member.
                throw HubErrors.Create(HubErrors.Closing, "Subscribe: the subscription ended while replaying");
            }

            if (replayedUpTo > _lastSeq)
            {
                await FillFromHistoryAsync(replayedUpTo);
            }

            _replaying.Remove(connectionId, out var buffer);
            if (buffer!.Overflowed)
            {
                throw HubErrors.Create(HubErrors.Closing, "Subscribe: the connection fell too far behind during the replay and is closed as slow");
            }

            var position = replayedUpTo;
            foreach (var roomEvent in buffer.Events)
            {
                if (roomEvent.Seq > position)
                {
                    // Queued behind the replay; not awaited under the lock (the outbox bounds what a stalled client holds).
                    _ = _context.Sender.SendToConnectionAsync(connectionId, roomEvent);
                    position = roomEvent.Seq;
                }
            }

            await AddLiveAsync(connectionId);
            return Math.Max(position, _lastSeq);
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>
    /// A replay that failed before anything was written: a connection that was live gets the events buffered meanwhile and
    /// is live again, as before the call; any other stops being a member.
    /// </summary>
    private async Task AbandonReplayAsync(string connectionId, bool restoreLive)
    {
        await _lock.WaitAsync();
        try
        {
            if (!_replaying.Remove(connectionId, out var buffer) || !restoreLive)
            {
                return;
            }

            if (buffer.Overflowed)
            {
                _context.Sender.CloseAsSlow(connectionId);
                return;
            }

            foreach (var roomEvent in buffer.Events)
            {
                _ = _context.Sender.SendToConnectionAsync(connectionId, roomEvent);
            }

            await AddLiveAsync(connectionId);
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>Under the lock.</summary>
    private async Task AddLiveAsync(string connectionId)
    {
        if (_live.Add(connectionId))
        {
            await _context.Sender.AddToRoomAsync(connectionId, Name);
            Volatile.Write(ref _liveCount, _live.Count);
        }
    }

    /// <summary>Under the lock. True when it was a live member.</summary>
    private async Task<bool> RemoveLiveAsync(string connectionId)
    {
        if (!_live.Remove(connectionId))
        {
            return false;
        }

        await _context.Sender.RemoveFromRoomAsync(connectionId, Name);
        Volatile.Write(ref _liveCount, _live.Count);
        return true;
    }
}
