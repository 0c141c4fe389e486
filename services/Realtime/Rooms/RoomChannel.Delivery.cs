using Fanout.Contracts.Wire;
using Fanout.Realtime.Metrics;

namespace Fanout.Realtime.Rooms;

/// <summary>Live delivery, gap fill and catch-up from history (all under <see cref="Gate"/>).</summary>
public sealed partial class RoomChannel
{
    /// <summary>Under <see cref="Gate"/>: delivers routed events, filling any gap before them from history.</summary>
    public async Task DeliverAsync(IReadOnlyList<RoomEvent> events)
    {
        foreach (var roomEvent in events)
        {
            if (roomEvent.Epoch != Epoch)
            {
                // A new history identity (reset: seqs continue; restored database: they may go back). The node takes
                // the new epoch from this event on, and never fills a gap with the old epoch's events.
                Epoch = roomEvent.Epoch;
                LastSeq = Math.Min(LastSeq, roomEvent.Seq - 1);
            }

            if (roomEvent.Seq <= LastSeq)
            {
                continue;
            }

            if (roomEvent.Seq > LastSeq + 1)
            {
                await FillFromHistoryAsync(roomEvent.Seq - 1);
                if (roomEvent.Seq <= LastSeq)
                {
                    continue;
                }
            }

            await DeliverOneAsync(roomEvent);
        }
    }

    /// <summary>Under <see cref="Gate"/>: delivers everything history has beyond <see cref="LastSeq"/>.</summary>
    public Task CatchUpAsync() => FillFromHistoryAsync(long.MaxValue);

    private async Task FillFromHistoryAsync(long upTo)
    {
        while (LastSeq < upTo)
        {
            var page = await _history.ReadAfterAsync(Room, LastSeq, _pageSize, CancellationToken.None);
            var progressed = false;
            foreach (var roomEvent in page.Events)
            {
                if (roomEvent.Seq > upTo)
                {
                    break;
                }

                if (roomEvent.Seq > LastSeq)
                {
                    // History is consecutive; a jump here means older events were trimmed away.
                    await DeliverOneAsync(roomEvent);
                    progressed = true;
                }
            }

            if (!progressed || LastSeq >= page.Position.LastSeq)
            {
                return;
            }
        }
    }

    private async Task DeliverOneAsync(RoomEvent roomEvent)
    {
        Epoch = roomEvent.Epoch;
        LastSeq = roomEvent.Seq;
        _cache?.Append(roomEvent);
        foreach (var buffer in _replaying.Values)
        {
            buffer.Add(roomEvent);
        }

        if (_live.Count > 0)
        {
            await _sender.SendToRoomAsync(Room, roomEvent);
            RealtimeMetrics.Delivered(roomEvent.PublishedAt, _live.Count);
        }
    }
}
