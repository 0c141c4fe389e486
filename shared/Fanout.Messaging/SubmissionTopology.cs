using RabbitMQ.Client;

namespace Fanout.Messaging;

/// <summary>
/// Declares the submission topology (idempotent; every submitter and sequencer does it at start): the
/// <c>fanout.submit</c> exchange (with the partition count in its <c>x-fanout-partitions</c> argument, for operators),
/// one durable queue per partition with a single active consumer (so one sequencer at a time reads a partition, in
/// broker order), and the <c>fanout.rooms</c> exchange. Before declaring, it refuses a partition count other than the
/// one the cluster's queues were created with (RabbitMQ does not compare custom exchange arguments on a redeclare, so
/// the queues themselves are the record): queue <c>fanout.submit.{N}</c> existing means the cluster has more than N
/// partitions, <c>fanout.submit.0</c> existing without <c>fanout.submit.{N-1}</c> means it has fewer. A process with
/// another count would send a room's events to another partition than its peers and so break per-room order.
/// </summary>
public static class SubmissionTopology
{
    public static async Task DeclareAsync(IConnection connection, int partitions, CancellationToken cancellationToken)
    {
        await CheckPartitionCountAsync(connection, partitions, cancellationToken);
        await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
        var exchangeArguments = new Dictionary<string, object?> { [BrokerNames.PartitionsArgument] = partitions };
        await channel.ExchangeDeclareAsync(BrokerNames.SubmitExchange, ExchangeType.Direct, durable: true, autoDelete: false,
            arguments: exchangeArguments, cancellationToken: cancellationToken);

        var queueArguments = new Dictionary<string, object?> { ["x-single-active-consumer"] = true, ["x-queue-type"] = "classic" };
        for (var partition = 0; partition < partitions; partition++)
        {
            var queue = BrokerNames.SubmitQueue(partition);
            await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false,
                arguments: queueArguments, cancellationToken: cancellationToken);
            await channel.QueueBindAsync(queue, BrokerNames.SubmitExchange, BrokerNames.PartitionRoutingKey(partition),
                cancellationToken: cancellationToken);
        }

        await channel.ExchangeDeclareAsync(BrokerNames.RoomsExchange, ExchangeType.Direct, durable: true, autoDelete: false,
            cancellationToken: cancellationToken);
    }

    /// <summary>Throws <see cref="PartitionCountMismatchException"/> when the broker's partition queues say the cluster has another count.</summary>
    public static async Task CheckPartitionCountAsync(IConnection connection, int partitions, CancellationToken cancellationToken)
    {
        if (await QueueExistsAsync(connection, BrokerNames.SubmitQueue(partitions), cancellationToken))
        {
            throw Mismatch(partitions, "more");
        }

        if (partitions > 1
            && await QueueExistsAsync(connection, BrokerNames.SubmitQueue(0), cancellationToken)
            && !await QueueExistsAsync(connection, BrokerNames.SubmitQueue(partitions - 1), cancellationToken))
        {
            throw Mismatch(partitions, "fewer");
        }
    }

    private static PartitionCountMismatchException Mismatch(int partitions, string moreOrFewer) =>
        new($"Setting Topology:Partitions = {partitions} does not match the partition count the cluster was created with: " +
            $"the broker has {moreOrFewer} partition queues ({BrokerNames.SubmitQueue(0)}, ...). Every service must use the same value.");

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
