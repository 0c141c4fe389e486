using Fanout.Contracts.Messages;
using Fanout.Contracts.Wire;
using Fanout.Realtime.Metrics;
using Fanout.Realtime.Presence;
using Fanout.Realtime.Rooms;

namespace Fanout.Realtime.Routing;

/// <summary>
/// Where committed events and join/leave messages enter the node when the sequencer and the presence relay run in the
/// same process (the embedded mode): what <see cref="RabbitMqNodeInbox"/> does with the messages of the node's queue,
/// without a broker. Nothing can be lost between commit and room, so no catch-up on reconnect is needed; a room still
/// fills any gap it sees from history.
/// </summary>
public sealed class InProcessNodeInbox(RoomRegistry registry, PresenceBroadcaster presence, ILogger<InProcessNodeInbox> logger)
{
    /// <summary>Hands committed events (grouped by room, each room's in seq order) to their rooms' delivery queues.</summary>
    public void Deliver(IReadOnlyList<RoomEvent> committed)
    {
        RealtimeMetrics.Routed(committed.Count);
        var start = 0;
        for (var i = 1; i <= committed.Count; i++)
        {
            if (i < committed.Count && string.Equals(committed[i].Room, committed[start].Room, StringComparison.Ordinal))
            {
                continue;
            }

            var room = committed[start].Room;
            var events = start == 0 && i == committed.Count ? committed : Slice(committed, start, i);
            RealtimeLog.RoutedEventsReceived(logger, events.Count, room, events[0].Seq, events[^1].Seq);
            registry.Dispatch(room, events);
            start = i;
        }
    }

    /// <summary>Sends join/leave messages of one room to its live members here.</summary>
    public Task DeliverPresenceAsync(RoomPresenceChanged changed) => presence.SendAsync(changed);

    private static RoomEvent[] Slice(IReadOnlyList<RoomEvent> events, int start, int end)
    {
        var slice = new RoomEvent[end - start];
        for (var i = start; i < end; i++)
        {
            slice[i - start] = events[i];
        }

        return slice;
    }
}
