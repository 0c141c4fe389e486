using Fanout.Contracts.Messages;
using Fanout.Contracts.Wire;
using Fanout.Messaging;
using Fanout.Sequencer.Metrics;
using RabbitMQ.Client;

namespace Fanout.Sequencer.Routing;

/// <summary>
/// <see cref="IRoomEventRouter"/> over the <c>fanout.rooms</c> direct exchange: one message per room per batch,
/// routing key = room id. Each realtime node binds its own queue to the exchange with the ids of the rooms it
/// has subscribers in, so the broker delivers a room's events only to those nodes, and to none when no node has
/// a subscriber.
/// </summary>
public sealed class RabbitMqRoomEventRouter(RabbitMqConnectionSource connections, SequencerMetrics metrics, ILogger<RabbitMqRoomEventRouter> logger)
    : IRoomEventRouter, IAsyncDisposable
{
    private static readonly BasicProperties Transient = new() { Persistent = false, ContentType = "application/json" };

    private readonly ReusableChannel _channel = new(
        connections,
        options: null,
        (channel, ct) => channel.ExchangeDeclareAsync(BrokerNames.RoomsExchange, ExchangeType.Direct, durable: true, autoDelete: false,
            cancellationToken: ct));

    public async Task RouteAsync(IReadOnlyList<RoomEvent> committed, CancellationToken cancellationToken)
    {
        if (committed.Count == 0)
        {
            return;
        }

        try
        {
            await _channel.UseAsync(channel => PublishPerRoomAsync(channel, committed, cancellationToken), cancellationToken);
            metrics.Routed(committed.Count);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Nodes fill the gap from history; routing failures never lose events.
            SequencerLog.RoutingFailed(logger, ex, committed.Count);
        }
    }

    public ValueTask DisposeAsync() => _channel.DisposeAsync();

    private static async Task PublishPerRoomAsync(IChannel channel, IReadOnlyList<RoomEvent> committed, CancellationToken cancellationToken)
    {
        var start = 0;
        for (var i = 1; i <= committed.Count; i++)
        {
            if (i < committed.Count && committed[i].Room == committed[start].Room)
            {
                continue;
            }

            var room = committed[start].Room;
            var events = new List<RoomEvent>(i - start);
            for (var k = start; k < i; k++)
            {
                events.Add(committed[k]);
            }

            var body = MessageSerializer.Serialize(new RoomEventsCommitted(room, events));
            await channel.BasicPublishAsync(BrokerNames.RoomsExchange, room, mandatory: false, Transient, body, cancellationToken);
            start = i;
        }
    }
}
