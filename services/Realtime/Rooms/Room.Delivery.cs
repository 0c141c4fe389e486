using Fanout.Contracts.Wire;
using Fanout.History;
using Fanout.Realtime.Metrics;

namespace Fanout.Realtime.Rooms;

/// <summary>
/// Live delivery, gap fill from history, and the room's epoch (all under the room's lock). Epochs have no order, so
/// history decides: an event or a position of another epoch than the room's makes the room read history's position,
/// and the room moves to history's epoch only when it differs from its own; anything of an epoch history no longer
/// has is stale and dropped (an old epoch's event handled late never rewinds the room).
/// </summary>
public sealed partial class Room
{
    /// <summary>
    /// What history says about the room (the position check): takes the first retained seq, moves to a new epoch history
    /// confirms, and delivers what history holds beyond the room's position.
    /// </summary>
    /// <param name="catchUp">Also deliver what history has beyond the room's position (the check found it behind).</param>
    public async Task ObservePositionAsync(RoomPosition observed, bool catchUp, CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken);
        try
        {
            if (_closed || !_initialized)
            {
                return;
            }

            if (observed.Epoch != _epoch)
            {
                // A new epoch history confirms is caught up at once; a stale snapshot (read before the room moved on) is ignored.
                if (await FollowHistoryEpochAsync(cancellationToken))
                {
                    await FillFromHistoryAsync(long.MaxValue);
                }

                return;
            }

            if (_firstSeq != observed.FirstSeq)
            {
                _firstSeq = observed.FirstSeq;
                Publish();
            }

            if (catchUp)
            {
                await FillFromHistoryAsync(long.MaxValue);
            }
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>Delivers routed events now, on the caller's thread (tests; the node queues them with <see cref="Deliver"/>).</summary>
    internal async Task DeliverNowAsync(IReadOnlyList<RoomEvent> events)
    {
        await _lock.WaitAsync();
        try
        {
            await DeliverLockedAsync(events);
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>Under the lock: delivers routed events, filling any gap before them from history.</summary>
    private async Task DeliverLockedAsync(IReadOnlyList<RoomEvent> events)
    {
        try
        {
            await DeliverEachAsync(events);
        }
        finally
        {
            // The snapshot others read moves once per batch, not per event.
            Publish();
        }
    }

    private async Task DeliverEachAsync(IReadOnlyList<RoomEvent> events)
    {
        foreach (var roomEvent in events)
        {
            if (roomEvent.Epoch != _epoch && !await AcceptsEpochAsync(roomEvent))
            {
                continue;
            }

            if (roomEvent.Seq <= _lastSeq)
            {
                continue;
            }

            if (roomEvent.Seq > _lastSeq + 1)
            {
                await FillFromHistoryAsync(roomEvent.Seq - 1);
                if (roomEvent.Seq <= _lastSeq || roomEvent.Epoch != _epoch)
                {
                    continue;
                }
            }

            await DeliverOneAsync(roomEvent);
        }
    }

    /// <summary>
    /// An event of another epoch than the room's: history's position says whether that epoch is the room's current one
    /// (history was reset: seqs continue; or restored: they may go back — the room's position moves back so that the
    /// new epoch's events are not dropped as already delivered). An event of any other epoch is stale.
    /// </summary>
    private async Task<bool> AcceptsEpochAsync(RoomEvent roomEvent)
    {
        var current = await ReadPositionAsync(CancellationToken.None);
        if (current.Epoch != roomEvent.Epoch)
        {
            RealtimeMetrics.StaleEpochDropped();
            if (current.Epoch != _epoch)
            {
                AdoptEpoch(current, current.LastSeq);
            }

            return false;
        }

        if (current.Epoch != _epoch)
        {
            AdoptEpoch(current, roomEvent.Seq - 1);
        }

        return true;
    }

    /// <summary>Reads history's position and moves to its epoch if it is not the room's. False when history is still at the room's epoch.</summary>
    private async Task<bool> FollowHistoryEpochAsync(CancellationToken cancellationToken)
    {
        var current = await ReadPositionAsync(cancellationToken);
        if (current.Epoch == _epoch)
        {
            return false;
        }

        AdoptEpoch(current, current.LastSeq);
        return true;
    }

    /// <summary>Under the lock: takes <paramref name="current"/>'s epoch; the position goes back to <paramref name="upTo"/> if it is ahead.</summary>
    private void AdoptEpoch(RoomPosition current, long upTo)
    {
        RecoveryLog.EpochChanged(_context.Logger, Name, _epoch, current.Epoch);
        _epoch = current.Epoch;
        _lastSeq = Math.Min(_lastSeq, upTo);
        _firstSeq = current.FirstSeq;
        Publish();
    }

    private void ConnectionsLogSlowReplay(string connectionId) =>
        RecoveryLog.ReplayOverflowed(_context.Logger, connectionId, Name, _context.SlowConsumer.MaxBufferedMessages, _context.SlowConsumer.MaxBufferedBytes);

    private Task<RoomPosition> ReadPositionAsync(CancellationToken cancellationToken) =>
        _context.History.GetPositionAsync(Name, cancellationToken);

    /// <summary>Under the lock: delivers what history has of the room's epoch after its position, up to <paramref name="upTo"/>.</summary>
    private async Task FillFromHistoryAsync(long upTo)
    {
        try
        {
            await FillPagesAsync(upTo);
        }
        finally
        {
            Publish();
        }
    }

    private async Task FillPagesAsync(long upTo)
    {
        while (_lastSeq < upTo)
        {
            var page = await _context.History.ReadAfterAsync(Name, _lastSeq, _context.PageSize, CancellationToken.None);
            if (page.Position.Epoch != _epoch)
            {
                // History moved to another epoch under the room: the next event or the position check moves it there.
                return;
            }

            var progressed = false;
            foreach (var roomEvent in page.Events)
            {
                if (roomEvent.Seq > upTo)
                {
                    break;
                }

                if (roomEvent.Seq > _lastSeq)
                {
                    // History is consecutive; a jump here means older events were trimmed away.
                    await DeliverOneAsync(roomEvent);
                    progressed = true;
                }
            }

            if (!progressed || _lastSeq >= page.Position.LastSeq)
            {
                return;
            }
        }
    }

    private async Task DeliverOneAsync(RoomEvent roomEvent)
    {
        _epoch = roomEvent.Epoch;
        _lastSeq = roomEvent.Seq;
        _context.Cache.Append(roomEvent);
        foreach (var (connectionId, buffer) in _replaying)
        {
            if (buffer.AddOrOverflow(roomEvent))
            {
                ConnectionsLogSlowReplay(connectionId);
                _context.Sender.CloseAsSlow(connectionId);
            }
        }

        if (_live.Count > 0)
        {
            await _context.Sender.SendToRoomAsync(Name, roomEvent);
            RealtimeMetrics.Delivered(roomEvent.PublishedAt, _live.Count);
        }
    }
}
