using RabbitMQ.Client;

namespace Fanout.Messaging;

/// <summary>
/// Declares the submission topology (idempotent; every submitter and sequencer does it at start): the
/// <c>fanout.submit</c> exchange (with the partition count in its <c>x-fanout-partitions</c> argument, for operators),
/// one quorum queue per partition (<see cref="PartitionQueueArguments"/>: replicated and fsynced by RabbitMQ, with a
/// single active consumer, so one sequencer at a time reads a partition, in broker order, and bounded by
/// <see cref="TopologyOptions.MaxQueuedMessagesPerPartition"/>, beyond which a publish is refused with a nack), and the
/// <c>fanout.rooms</c> exchange. A partition queue declared otherwise (a classic queue of an earlier Fanout version,
/// another bound) is refused by RabbitMQ (406) and throws <see cref="PartitionQueueMismatchException"/>. A process with another partition count than its peers would
/// send a room's events to another partition and so break per-room order; before declaring, the count is checked:
/// <list type="bullet">
/// <item>against the partition queues that exist (RabbitMQ does not compare custom exchange arguments on a redeclare):
/// queue <c>fanout.submit.{N}</c> existing means the cluster has more than N partitions, <c>fanout.submit.0</c> existing
/// without <c>fanout.submit.{N-1}</c> means it has fewer (the queues are declared from the highest down, so a peer
/// with the same count still declaring never looks like fewer);</item>
/// <item>then by declaring <see cref="BrokerNames.PartitionCountQueue"/> with <c>x-max-length</c> = N, which RabbitMQ
/// compares on every redeclare: an atomic claim, so two processes with different counts starting at the same moment on
/// an empty broker cannot both pass (the queue check alone let them).</item>
/// </list>
/// </summary>
public static class SubmissionTopology
{
    public static async Task DeclareAsync(IConnection connection, TopologyOptions topology, CancellationToken cancellationToken)
    {
        var partitions = topology.Partitions;
        await CheckPartitionCountAsync(connection, partitions, cancellationToken);
        await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
        var exchangeArguments = new Dictionary<string, object?> { [BrokerNames.PartitionsArgument] = partitions };
        await channel.ExchangeDeclareAsync(BrokerNames.SubmitExchange, ExchangeType.Direct, durable: true, autoDelete: false,
            arguments: exchangeArguments, cancellationToken: cancellationToken);

        var queueArguments = PartitionQueueArguments(topology);
        foreach (var partition in DeclarationOrder(partitions))
        {
            var queue = BrokerNames.SubmitQueue(partition);
            try
            {
                await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false,
                    arguments: queueArguments, cancellationToken: cancellationToken);
            }
            catch (RabbitMQ.Client.Exceptions.OperationInterruptedException ex) when (ex.ShutdownReason?.ReplyCode == 406)
            {
                throw new PartitionQueueMismatchException(
                    $"Partition queue {queue} exists with other settings than this process declares (a quorum queue with " +
                    $"Topology:MaxQueuedMessagesPerPartition = {topology.MaxQueuedMessagesPerPartition}): {ex.ShutdownReason.ReplyText}. " +
                    "A classic partition queue of a Fanout version before quorum queues, or another MaxQueuedMessagesPerPartition: " +
                    "drain the partition queues and delete them (docs/operations.md, Partition queues).");
            }

            await channel.QueueBindAsync(queue, BrokerNames.SubmitExchange, BrokerNames.PartitionRoutingKey(partition),
                cancellationToken: cancellationToken);
        }

        await channel.ExchangeDeclareAsync(BrokerNames.RoomsExchange, ExchangeType.Direct, durable: true, autoDelete: false,
            cancellationToken: cancellationToken);
    }

    /// <summary>
    /// A partition queue's arguments: a quorum queue (durable on the broker's disk, replicated in a cluster, and the
    /// single-active-consumer hand-over that classic queues got wrong in 3.10), one active consumer, at most
    /// <see cref="TopologyOptions.MaxQueuedMessagesPerPartition"/> messages waiting (a publish beyond is nacked:
    /// <c>reject-publish</c>), and a delivery limit high enough never to drop a message that keeps coming back
    /// (RabbitMQ 4 would otherwise drop it after 20 deliveries).
    /// </summary>
    public static Dictionary<string, object?> PartitionQueueArguments(TopologyOptions topology) => new()
    {
        ["x-queue-type"] = "quorum",
        ["x-single-active-consumer"] = true,
        ["x-max-length"] = topology.MaxQueuedMessagesPerPartition,
        ["x-overflow"] = "reject-publish",
        ["x-delivery-limit"] = BrokerNames.PartitionDeliveryLimit,
    };

    /// <summary>
    /// The order the partition queues are declared in: highest first, so queue 0 exists only once every queue does and a
    /// peer with the same count that checks while this process is still declaring (any prefix of this order on the
    /// broker) does not take the missing queues for a cluster with fewer partitions.
    /// </summary>
    public static IEnumerable<int> DeclarationOrder(int partitions) => Enumerable.Range(0, partitions).Reverse();

    /// <summary>
    /// Throws <see cref="PartitionCountMismatchException"/> when the broker says the cluster has another partition count;
    /// otherwise the count is recorded on the broker (<see cref="BrokerNames.PartitionCountQueue"/>), if it was not yet.
    /// </summary>
    public static async Task CheckPartitionCountAsync(IConnection connection, int partitions, CancellationToken cancellationToken)
    {
        if (await QueueExistsAsync(connection, BrokerNames.SubmitQueue(partitions), cancellationToken))
        {
            throw Mismatch(partitions, "the broker has more partition queues");
        }

        if (partitions > 1
            && await QueueExistsAsync(connection, BrokerNames.SubmitQueue(0), cancellationToken)
            && !await QueueExistsAsync(connection, BrokerNames.SubmitQueue(partitions - 1), cancellationToken))
        {
            throw Mismatch(partitions, "the broker has fewer partition queues");
        }

        await ClaimPartitionCountAsync(connection, partitions, cancellationToken);
    }

    /// <summary>Declares the count queue with <c>x-max-length</c> = <paramref name="partitions"/>; another value on the broker is a 406.</summary>
    private static async Task ClaimPartitionCountAsync(IConnection connection, int partitions, CancellationToken cancellationToken)
    {
        var arguments = new Dictionary<string, object?>
        {
            ["x-max-length"] = partitions,
            ["x-overflow"] = "reject-publish", // nothing is ever published to it; if something were, it would not pile up
            ["x-queue-type"] = "classic",
        };
        await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
        try
        {
            await channel.QueueDeclareAsync(BrokerNames.PartitionCountQueue, durable: true, exclusive: false, autoDelete: false,
                arguments: arguments, cancellationToken: cancellationToken);
        }
        catch (RabbitMQ.Client.Exceptions.OperationInterruptedException ex) when (ex.ShutdownReason?.ReplyCode == 406)
        {
            throw Mismatch(partitions, $"the broker's {BrokerNames.PartitionCountQueue} records another count: {ex.ShutdownReason.ReplyText}");
        }
    }

    private static PartitionCountMismatchException Mismatch(int partitions, string evidence) =>
        new($"Setting Topology:Partitions = {partitions} does not match the partition count the cluster was created with: " +
            $"{evidence} ({BrokerNames.SubmitQueue(0)}, ...). Every service must use the same value.");

    /// <summary>A passive declare on a channel of its own (a missing queue closes the channel that asked).</summary>
    private static async Task<bool> QueueExistsAsync(IConnection connection, string queue, CancellationToken cancellationToken)
    {
        await using var probe = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
        try
        {
            await probe.QueueDeclarePassiveAsync(queue, cancellationToken);
            return true;
        }
        catch (RabbitMQ.Client.Exceptions.OperationInterruptedException ex) when (ex.ShutdownReason?.ReplyCode == 404)
        {
            return false;
        }
    }
}
