using Fanout.Contracts.Messages;
using Fanout.Messaging;
using Fanout.Messaging.Tracing;
using Fanout.Presence.Tracing;
using RabbitMQ.Client;

namespace Fanout.Presence.Relay;

/// <summary>
/// <see cref="IPresencePublisher"/> over the rooms exchange the events take (<c>fanout.rooms</c>, routing key = room,
/// AMQP type <c>presence</c>): the broker hands a room's join/leave only to the nodes bound to that room. One channel
/// publishes everything, so every node receives them in the order they were published. With tracing on, each message
/// is a <c>publish fanout.rooms</c> span whose context the nodes continue.
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
                using var activity = MessagingActivity.StartPublish(PresenceActivity.Source, MessagingActivity.PublishRooms, BrokerNames.RoomsExchange, change.Room);
                if (activity is { IsAllDataRequested: true })
                {
                    activity.SetTag(MessagingTags.Room, change.Room);
                    activity.SetTag("fanout.presence.changes", change.Changes.Count);
                }

                // With a trace context, properties of its own: RabbitMQ.Client may write into the headers it is given.
                var headers = MessagingActivity.TraceHeaders(PresenceActivity.Source, activity);
                var properties = headers is null ? Properties : new BasicProperties(Properties) { Headers = headers };
                await channel.BasicPublishAsync(BrokerNames.RoomsExchange, change.Room, mandatory: false, properties, body, cancellationToken);
            }
        }, cancellationToken);

    public ValueTask DisposeAsync() => _channel.DisposeAsync();
}
