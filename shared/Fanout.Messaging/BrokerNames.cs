namespace Fanout.Messaging;

/// <summary>Every exchange and queue name of the data plane, built in one place.</summary>
public static class BrokerNames
{
    /// <summary>Direct exchange the submitters publish to; routing key = partition number.</summary>
    public const string SubmitExchange = "fanout.submit";

    /// <summary>Direct exchange the sequencer routes committed events to; routing key = room id.</summary>
    public const string RoomsExchange = "fanout.rooms";

    /// <summary>Argument on <see cref="SubmitExchange"/> that records the partition count.</summary>
    public const string PartitionsArgument = "x-fanout-partitions";

    public static string SubmitQueue(int partition) => $"fanout.submit.{partition}";

    public static string PartitionRoutingKey(int partition) => partition.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static string NodeQueue(string nodeId) => $"fanout.node.{nodeId}";
}
