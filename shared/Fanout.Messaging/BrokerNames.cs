namespace Fanout.Messaging;

/// <summary>Every exchange and queue name of the data plane (and the control plane's exchange names), built in one place.</summary>
public static class BrokerNames
{
    /// <summary>Direct exchange the submitters publish to; routing key = partition number.</summary>
    public const string SubmitExchange = "fanout.submit";

    /// <summary>Direct exchange the sequencer routes committed events to; routing key = room id.</summary>
    public const string RoomsExchange = "fanout.rooms";

    /// <summary>Message type (AMQP <c>type</c> property) of a routed <c>RoomEventsCommitted</c> on <see cref="RoomsExchange"/>.</summary>
    public const string EventsMessageType = "events";

    /// <summary>Message type of a routed <c>RoomPresenceChanged</c> on <see cref="RoomsExchange"/>.</summary>
    public const string PresenceMessageType = "presence";

    /// <summary>Control plane (MassTransit) fan-out exchange of <c>NodeDown</c>.</summary>
    public const string NodeDownExchange = "fanout.node-down";

    /// <summary>Argument on <see cref="SubmitExchange"/> that records the partition count.</summary>
    public const string PartitionsArgument = "x-fanout-partitions";

    /// <summary>
    /// An empty queue whose <c>x-max-length</c> is the partition count: the first process to declare it sets the count,
    /// and RabbitMQ refuses (406) a declare with another one, so two processes cannot both claim a count.
    /// </summary>
    public const string PartitionCountQueue = "fanout.submit.partition-count";

    /// <summary>
    /// <c>x-delivery-limit</c> of the partition queues: deliveries of one message before a quorum queue drops it. Set so
    /// high that it never happens (every redelivery here is a sequencer or broker restart, not a poison message: those
    /// are dead-lettered by the sequencer); RabbitMQ 4's default is 20.
    /// </summary>
    public const int PartitionDeliveryLimit = 1_000_000;

    public static string SubmitQueue(int partition) => $"fanout.submit.{partition}";

    public static string PartitionRoutingKey(int partition) => partition.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static string NodeQueue(string nodeId) => $"fanout.node.{nodeId}";
}
