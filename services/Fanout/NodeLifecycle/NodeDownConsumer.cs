using Fanout.Contracts.Messages;
using Fanout.Messaging;
using MassTransit;
using RabbitMQ.Client;

namespace Fanout.Sequencer.NodeLifecycle;

/// <summary>
/// Stops routing to a node the presence service declared dead: deletes its queue <c>fanout.node.{id}</c>, which
/// removes every room binding with it, so nothing more piles up for the node in RabbitMQ. Idempotent (deleting a
/// missing queue succeeds). A node that was only cut off, not dead, notices its consumer was cancelled, declares the
/// queue again, binds its rooms and fills what it missed from history.
/// </summary>
public sealed class NodeDownConsumer(RabbitMqConnectionSource connections, ILogger<NodeDownConsumer> logger) : IConsumer<NodeDown>
{
    public async Task Consume(ConsumeContext<NodeDown> context)
    {
        var queue = BrokerNames.NodeQueue(context.Message.NodeId);
        var connection = await connections.GetConnectionAsync(context.CancellationToken);
        await using var channel = await connection.CreateChannelAsync(cancellationToken: context.CancellationToken);
        var dropped = await channel.QueueDeleteAsync(queue, ifUnused: false, ifEmpty: false, cancellationToken: context.CancellationToken);
        await channel.CloseAsync(context.CancellationToken);
        SequencerLog.NodeQueueDeleted(logger, context.Message.NodeId, queue, dropped, context.Message.Clean);
    }
}
