using RabbitMQ.Client;

namespace Fanout.Messaging;

/// <summary>
/// Declares the submit exchange and its partition queues (idempotent; every submitter and sequencer does it
/// at start). Each partition queue is durable and has a single active consumer, so one sequencer at a time
/// reads a partition, in broker order.
/// </summary>
public static class SubmissionTopology
{
    public static async Task DeclareAsync(IChannel channel, int partitions, CancellationToken cancellationToken)
    {
        var exchangeArguments = new Dictionary<string, object?> { [BrokerNames.PartitionsArgument] = partitions };
        try
        {
            await channel.ExchangeDeclareAsync(BrokerNames.SubmitExchange, ExchangeType.Direct, durable: true, autoDelete: false,
                arguments: exchangeArguments, cancellationToken: cancellationToken);
        }
        catch (RabbitMQ.Client.Exceptions.OperationInterruptedException ex) when (ex.ShutdownReason?.ReplyCode == 406)
        {
            throw new InvalidOperationException(
                $"Setting Topology:Partitions = {partitions} does not match the partition count the cluster was created with " +
                $"(exchange {BrokerNames.SubmitExchange}). Every service must use the same value.", ex);
        }

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
}
