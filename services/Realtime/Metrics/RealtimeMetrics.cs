using System.Diagnostics;
using System.Diagnostics.Metrics;
using Fanout.Contracts.Wire;
using Fanout.ServiceDefaults.Metrics;

namespace Fanout.Realtime.Metrics;

/// <summary>
/// The realtime node's counters and histograms (meter <c>Fanout.Realtime</c>), static so that any part of the node can
/// count with one call and nothing to inject; the gauges (connections, subscriptions) are in <see cref="RealtimeGauges"/>.
/// The delivery path records without tags (no allocation); tag lists are built once. docs/operations.md lists them.
/// </summary>
public static class RealtimeMetrics
{
    public const string MeterName = "Fanout.Realtime";

    private static readonly Meter Meter = new(MeterName);

    private static readonly Counter<long> PublishedEvents = Meter.CreateCounter<long>(
        "fanout.realtime.events.published", "{event}", "Events clients published through the hub (accepted: confirmed by the broker).");

    private static readonly Counter<long> RoutedEvents = Meter.CreateCounter<long>(
        "fanout.realtime.events.routed", "{event}", "Committed events the node received from its queue (routed to it by the sequencer).");

    private static readonly Counter<long> DeliveredMessages = Meter.CreateCounter<long>(
        "fanout.realtime.events.delivered", "{message}", "Event messages written to live subscribers (one per event per subscribed connection).");

    private static readonly Histogram<double> DeliveryLatency = Meter.CreateHistogram(
        "fanout.realtime.delivery.latency", "s", "From an event's acceptance (its publishedAt) to its hand-over to the live subscribers of the room on this node, once per event.",
        tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = MetricBuckets.LatencySeconds });

    private static readonly Counter<long> Replays = Meter.CreateCounter<long>(
        "fanout.realtime.replays", "{subscription}", "Subscribes with afterSeq, by outcome: recovered, or not recovered and why (reason).");

    private static readonly Counter<long> ReplayedEvents = Meter.CreateCounter<long>(
        "fanout.realtime.replay.events", "{event}", "Events replayed to recovering subscriptions.");

    private static readonly Counter<long> Disconnects = Meter.CreateCounter<long>(
        "fanout.realtime.disconnects", "{connection}", "Hub connections that ended, for any reason.");

    private static readonly Counter<long> SlowConsumerDisconnects = Meter.CreateCounter<long>(
        "fanout.realtime.slow_consumer.disconnects", "{connection}", "Connections the node closed because they did not keep up with their rooms' events.");

    private static readonly Counter<long> HubThrottled = Meter.CreateCounter<long>(
        "fanout.realtime.hub.throttled", "{invocation}", "Hub invocations refused by a per-connection or per-user limit (tag limit: which one).");

    private static readonly Counter<long> InboundDrops = Meter.CreateCounter<long>(
        "fanout.realtime.inbound.dropped", "{event}",
        "Routed events dropped because the node's inbound budget (Realtime:Memory:InboundMaxBytes) was full; their rooms caught up from history.");

    private static readonly Counter<long> StaleEpochDrops = Meter.CreateCounter<long>(
        "fanout.realtime.stale_epoch.dropped", "{event}", "Routed events of an epoch history no longer has (handled after a reset), dropped.");

    private static readonly TagList Recovered = new() { { "recovered", "true" }, { "reason", "none" } };
    private static readonly TagList EpochChanged = NotRecovered(RecoveryReasons.EpochChanged);
    private static readonly TagList Trimmed = NotRecovered(RecoveryReasons.Trimmed);
    private static readonly TagList TooMany = NotRecovered(RecoveryReasons.TooMany);

    /// <summary>Creates the instruments now (they are listed at <c>/metrics</c> before their first measurement).</summary>
    public static void EnsureCreated() => GC.KeepAlive(Meter);

    /// <summary>A client's <c>Publish</c> was accepted.</summary>
    public static void Published(int events) => PublishedEvents.Add(events);

    /// <summary>The node's queue delivered <paramref name="events"/> committed events.</summary>
    public static void Routed(int events) => RoutedEvents.Add(events);

    /// <summary>An event went to <paramref name="connections"/> live subscribers; it was accepted at <paramref name="publishedAt"/>.</summary>
    private static long _deliveredTotal;

    /// <summary>Events delivered to connections since the process started (what the node's heartbeat turns into a rate).</summary>
    public static long DeliveredTotal => Interlocked.Read(ref _deliveredTotal);

    public static void Delivered(DateTimeOffset publishedAt, int connections)
    {
        DeliveredMessages.Add(connections);
        Interlocked.Add(ref _deliveredTotal, connections);
        DeliveryLatency.Record(MetricBuckets.SecondsSince(publishedAt, DateTimeOffset.UtcNow));
    }

    /// <summary>A subscription recovered, with <paramref name="events"/> replayed.</summary>
    public static void ReplayRecovered(int events)
    {
        Replays.Add(1, Recovered);
        ReplayedEvents.Add(events);
    }

    /// <summary>A subscription got <c>recovered: false</c> for <paramref name="reason"/> (a <see cref="RecoveryReasons"/> value).</summary>
    public static void ReplayNotRecovered(string reason) => Replays.Add(1, reason switch
    {
        RecoveryReasons.EpochChanged => EpochChanged,
        RecoveryReasons.Trimmed => Trimmed,
        RecoveryReasons.TooMany => TooMany,
        _ => NotRecovered("other"),
    });

    /// <summary>A hub connection ended.</summary>
    public static void Disconnected() => Disconnects.Add(1);

    /// <summary>
    /// For the slow-consumer handling: call once when the node closes a connection because it fell too far behind.
    /// Counted as <c>fanout_realtime_slow_consumer_disconnects_total</c> (alert <c>FanoutSlowConsumerDisconnects</c>).
    /// </summary>
    public static void SlowConsumerDisconnected() => SlowConsumerDisconnects.Add(1);

    /// <summary>
    /// For the hub limits: call once per refused invocation; <paramref name="limit"/> names the limit (a fixed, small
    /// set such as <c>publish</c>, <c>subscribe</c>, <c>subscriptions</c>: it becomes a label).
    /// </summary>
    public static void HubInvocationThrottled(string limit) => HubThrottled.Add(1, new KeyValuePair<string, object?>("limit", limit));

    /// <summary>Routed events a room dropped for the inbound budget (it catches up from history instead).</summary>
    public static void InboundDropped(int events) => InboundDrops.Add(events);

    /// <summary>A routed event of an epoch history no longer has, dropped.</summary>
    public static void StaleEpochDropped() => StaleEpochDrops.Add(1);

    private static TagList NotRecovered(string reason) => new() { { "recovered", "false" }, { "reason", reason } };
}
