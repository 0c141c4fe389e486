using Fanout.Contracts.Messages;
using Fanout.Messaging;
using RabbitMQ.Client;

namespace Fanout.Presence.Relay;

/// <summary>
/// <see cref="IPresencePublisher"/> over the rooms exchange the events take (<c>fanout.rooms</c>, routing key = room,
/// AMQP type <c>presence</c>): the broker hands a room's join/leave only to the nodes bound to that room. One channel
/// publishes everything, so every node receives them in the order they were published.
/// </summary>
public sealed class RabbitMqPresencePublisher(RabbitMqConnectionSource connections) : IPresencePublisher, IAsyncDisposable
{
    private static readonly BasicProperties Properties = new()
    {
        Persistent = false,
        ContentType = "application/json",
        Type = BrokerNames.PresenceMessageType,
    };

    private readonly ReusableChannel _channel = new(
        connections,
        options: null,
        (channel, ct) => channel.ExchangeDeclareAsync(BrokerNames.RoomsExchange, ExchangeType.Direct, durable: true, autoDelete: false,
            cancellationToken: ct));

    public Task PublishAsync(IReadOnlyList<RoomPresenceChanged> changes, CancellationToken cancellationToken) =>
        _channel.UseAsync(async channel =>
        {
            foreach (var change in changes)
            {
                var body = MessageSerializer.Serialize(change);
                await channel.BasicPublishAsync(BrokerNames.RoomsExchange, change.Room, mandatory: false, Properties, body, cancellationToken);
            }
        }, cancellationToken);

    public ValueTask DisposeAsync() => _channel.DisposeAsync();
}
