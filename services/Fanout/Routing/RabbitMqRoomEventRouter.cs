using Fanout.Contracts.Messages;
using Fanout.Contracts.Wire;
using Fanout.Messaging;
using RabbitMQ.Client;

namespace Fanout.Sequencer.Routing;

/// <summary>
/// <see cref="IRoomEventRouter"/> over the <c>fanout.rooms</c> direct exchange: one message per room per batch,
/// routing key = room id. Each realtime node binds its own queue to the exchange with the ids of the rooms it
/// has subscribers in, so the broker delivers a room's events only to those nodes, and to none when no node has
/// a subscriber.
/// </summary>
public sealed partial class RabbitMqRoomEventRouter(RabbitMqConnectionSource connections, ILogger<RabbitMqRoomEventRouter> logger)
    : IRoomEventRouter, IAsyncDisposable
{
    private static readonly BasicProperties Transient = new() { Persistent = false, ContentType = "application/json" };
    private readonly SemaphoreSlim _gate = new(1, 1);
    private IChannel? _channel;

    public async Task RouteAsync(IReadOnlyList<RoomEvent> committed, CancellationToken cancellationToken)
    {
        if (committed.Count == 0)
        {
            return;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            var channel = await GetChannelAsync(cancellationToken);
            var start = 0;
            for (var i = 1; i <= committed.Count; i++)
            {
                if (i < committed.Count && committed[i].Room == committed[start].Room)
                {
                    continue;
                }

                var room = committed[start].Room;
                var events = committed.Skip(start).Take(i - start).ToList();
                var body = MessageSerializer.Serialize(new RoomEventsCommitted(room, events));
                await channel.BasicPublishAsync(BrokerNames.RoomsExchange, room, mandatory: false, Transient, body, cancellationToken);
                start = i;
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Nodes fill the gap from history; routing failures never lose events.
            SequencerLog.RoutingFailed(logger, ex, committed.Count);
            _channel = null;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_channel is not null)
        {
            await _channel.DisposeAsync();
        }

        _gate.Dispose();
    }

    private async Task<IChannel> GetChannelAsync(CancellationToken cancellationToken)
    {
        if (_channel is { IsOpen: true })
        {
            return _channel;
        }

        var connection = await connections.GetConnectionAsync(cancellationToken);
        _channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
        await _channel.ExchangeDeclareAsync(BrokerNames.RoomsExchange, ExchangeType.Direct, durable: true, autoDelete: false,
            cancellationToken: cancellationToken);
        return _channel;
    }
}
