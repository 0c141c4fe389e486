using Fanout.Messaging;
using Fanout.Realtime.Options;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;

namespace Fanout.Realtime.Routing;

/// <summary>
/// <see cref="IRoomBindings"/> for this node's queue <c>fanout.node.{id}</c> on the <c>fanout.rooms</c> exchange. It
/// remembers the rooms it was asked to bind, so that after a broker reconnect <see cref="RestoreAsync"/> declares the
/// queue again and binds every one of them.
/// </summary>
public sealed class RabbitMqRoomBindings(IOptions<RealtimeOptions> options, ILogger<RabbitMqRoomBindings> logger) : IRoomBindings, IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly HashSet<string> _rooms = new(StringComparer.Ordinal);
    private IChannel? _channel;

    public string QueueName { get; } = BrokerNames.NodeQueue(options.Value.NodeId);

    public async Task<bool> BindAsync(string room, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            _rooms.Add(room);
            if (_channel is not { IsOpen: true })
            {
                return false;
            }

            await _channel.QueueBindAsync(QueueName, BrokerNames.RoomsExchange, room, cancellationToken: cancellationToken);
            return true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            RealtimeLog.BindFailed(logger, ex, room);
            return false;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task UnbindAsync(string room, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            _rooms.Remove(room);
            if (_channel is { IsOpen: true })
            {
                await _channel.QueueUnbindAsync(QueueName, BrokerNames.RoomsExchange, room, cancellationToken: cancellationToken);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// On a (new) connection: declares the exchange and this node's queue and binds every remembered room. The
    /// returned channel's shutdown tells the caller the bindings need restoring again.
    /// </summary>
    public async Task<IChannel> RestoreAsync(IConnection connection, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            await _channel.CloseQuietlyAsync();
            _channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
            await _channel.ExchangeDeclareAsync(BrokerNames.RoomsExchange, ExchangeType.Direct, durable: true, autoDelete: false,
                cancellationToken: cancellationToken);
            await _channel.QueueDeclareAsync(QueueName, durable: false, exclusive: false, autoDelete: false,
                arguments: new Dictionary<string, object?> { ["x-expires"] = options.Value.NodeQueueExpiresMs },
                cancellationToken: cancellationToken);
            foreach (var room in _rooms)
            {
                await _channel.QueueBindAsync(QueueName, BrokerNames.RoomsExchange, room, cancellationToken: cancellationToken);
            }

            return _channel;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _channel.CloseQuietlyAsync();
        _gate.Dispose();
    }
}
