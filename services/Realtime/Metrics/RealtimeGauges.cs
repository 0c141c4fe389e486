using System.Diagnostics.Metrics;
using Fanout.Realtime.Rooms;

namespace Fanout.Realtime.Metrics;

/// <summary>
/// The node's gauges (meter <c>Fanout.Realtime</c>), read at each scrape from what the node already keeps: nothing is
/// counted on the connection or subscription path.
/// </summary>
public sealed class RealtimeGauges
{
    public RealtimeGauges(
        IMeterFactory meterFactory,
        SubscriptionService subscriptions,
        RoomRegistry rooms,
        RoomBuckets buckets,
        RoomEventCache cache,
        Memory.InboundBudget inbound,
        Memory.OutboxBudget outboxes)
    {
        RealtimeMetrics.EnsureCreated();
        var meter = meterFactory.Create(RealtimeMetrics.MeterName);
        meter.CreateObservableGauge("fanout.realtime.connections", () => subscriptions.ConnectionCount, "{connection}",
            "Hub connections open on this node.");
        meter.CreateObservableGauge("fanout.realtime.subscriptions", () => Observe(rooms, buckets, c => c.References), "{subscription}",
            "Room subscriptions held on this node (live or replaying), by room_pattern.");
        meter.CreateObservableGauge("fanout.realtime.rooms", () => Observe(rooms, buckets, _ => 1), "{room}",
            "Rooms with at least one subscriber on this node, by room_pattern.");
        meter.CreateObservableGauge("fanout.realtime.memory.cache", () => cache.Bytes, "By",
            "Bytes of events in the hot cache (budget Realtime:Memory:CacheMaxBytes).");
        meter.CreateObservableGauge("fanout.realtime.memory.inbound", () => inbound.Held, "By",
            "Bytes of routed events waiting for their rooms (budget Realtime:Memory:InboundMaxBytes).");
        meter.CreateObservableGauge("fanout.realtime.memory.outboxes", () => outboxes.Held, "By",
            "Bytes waiting in connections' outboxes, all together (budget Realtime:Memory:OutboxMaxBytes).");
    }

    private static IEnumerable<Measurement<int>> Observe(RoomRegistry rooms, RoomBuckets buckets, Func<Room, int> value)
    {
        var totals = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var room in rooms.Rooms)
        {
            var bucket = buckets.Of(room.Name);
            totals[bucket] = totals.GetValueOrDefault(bucket) + value(room);
        }

        return totals.Select(t => new Measurement<int>(t.Value, new KeyValuePair<string, object?>("room_pattern", t.Key)));
    }
}
