using Fanout.Messaging;
using Fanout.Realtime.Options;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;

namespace Fanout.Realtime.Routing;

/// <summary>
/// <see cref="IRoomBindings"/> for this node's queue <c>fanout.node.{id}</c> on the <c>fanout.rooms</c> exchange. It
/// remembers the rooms it was asked to bind, so that after a broker reconnect <see cref="RestoreAsync"/> declares the
/// queue again and binds every one of them.
/// The queue is durable with an expiry (<c>x-expires</c> = <see cref="RealtimeOptions.NodeQueueExpiresMs"/>): RabbitMQ
/// deprecated transient non-exclusive queues in 3.13 and refuses them from 4.3 on, and an exclusive queue would vanish
/// with each reconnect. The events routed to it are transient messages (nodes fill what they miss from history).
/// </summary>
public sealed partial class RabbitMqRoomBindings(IOptions<RealtimeOptions> options, ILogger<RabbitMqRoomBindings> logger) : IRoomBindings, IAsyncDisposable
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
            await DeclareQueueAsync(connection, cancellationToken);
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

    /// <summary>
    /// Declares this node's queue on <c>_channel</c>. A queue of the same name declared otherwise (transient, by a version
    /// before this one, under a fixed <c>Realtime:NodeId</c> and not yet expired) is refused with 406 and closes the
    /// channel: that queue holds only routed copies of stored events, so it is deleted and declared again.
    /// </summary>
    private async Task DeclareQueueAsync(IConnection connection, CancellationToken cancellationToken)
    {
        var arguments = new Dictionary<string, object?> { ["x-expires"] = options.Value.NodeQueueExpiresMs };
        try
        {
            await _channel!.QueueDeclareAsync(QueueName, durable: true, exclusive: false, autoDelete: false, arguments: arguments,
                cancellationToken: cancellationToken);
        }
        catch (RabbitMQ.Client.Exceptions.OperationInterruptedException ex) when (ex.ShutdownReason?.ReplyCode == 406)
        {
            LogQueueRedeclared(logger, QueueName, ex.ShutdownReason.ReplyText);
            await _channel.CloseQuietlyAsync();
            _channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
            await _channel.QueueDeleteAsync(QueueName, cancellationToken: cancellationToken);
            await _channel.QueueDeclareAsync(QueueName, durable: true, exclusive: false, autoDelete: false, arguments: arguments,
                cancellationToken: cancellationToken);
        }
    }

    [LoggerMessage(EventId = 5009, Level = LogLevel.Warning,
        Message = "Node queue {Queue} existed with other settings ({Reason}); deleted it and declared it again (durable, expiring); history fills what it held")]
    private static partial void LogQueueRedeclared(ILogger logger, string queue, string reason);

    public async ValueTask DisposeAsync()
    {
        await _channel.CloseQuietlyAsync();
        _gate.Dispose();
    }
}
