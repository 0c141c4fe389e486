using System.Diagnostics;
using Fanout.Contracts.Messages;
using Fanout.Messaging;
using Fanout.Messaging.Tracing;
using Fanout.Realtime.Metrics;
using Fanout.Realtime.Options;
using Fanout.Realtime.Presence;
using Fanout.Realtime.Rooms;
using Fanout.Realtime.Tracing;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace Fanout.Realtime.Routing;

/// <summary>
/// Consumes this node's queue <c>fanout.node.{id}</c>, which <see cref="RabbitMqRoomBindings"/> binds with the id of
/// every room the node has members in, so the broker sends the node only the traffic of its rooms. The queue expires
/// when the node has been gone for <see cref="RealtimeOptions.NodeQueueExpiresMs"/>, taking its bindings with it.
/// After a broker reconnect the node restores the queue and its bindings and catches every room up from history.
/// With tracing on, each message is a <c>process fanout.rooms</c> span, a child of the <c>publish fanout.rooms</c> span
/// whose context it carries; it ends when the events are handed to the room (delivery to the connections follows).
/// </summary>
public sealed class RabbitMqNodeInbox(
    RabbitMqConnectionSource connections,
    RabbitMqRoomBindings bindings,
    RoomRegistry registry,
    PresenceBroadcaster presence,
    IOptions<RealtimeOptions> options,
    ILogger<RabbitMqNodeInbox> logger) : BackgroundService
{
    private readonly string _queue = bindings.QueueName;
    private readonly string _nodeId = options.Value.NodeId;
    private IChannel? _consumerChannel;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        ReconnectLoop.RunAsync(
            ConnectAsync,
            () => RealtimeLog.InboxInterrupted(logger, _queue),
            (exception, delay) =>
            {
                RealtimeLog.InboxFailed(logger, exception, _queue, delay.TotalMilliseconds);
                return Task.CompletedTask;
            },
            stoppingToken);

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await _consumerChannel.CloseQuietlyAsync();
    }

    private async Task<Task> ConnectAsync(CancellationToken stoppingToken)
    {
        await _consumerChannel.CloseQuietlyAsync();
        var connection = await connections.GetConnectionAsync(stoppingToken);
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var bindingChannel = await bindings.RestoreAsync(connection, stoppingToken);
        bindingChannel.ChannelShutdownAsync += (_, _) => Complete(closed);

        _consumerChannel = await connection.CreateChannelAsync(cancellationToken: stoppingToken);
        _consumerChannel.ChannelShutdownAsync += (_, _) => Complete(closed);
        await _consumerChannel.BasicQosAsync(0, 1_000, false, stoppingToken);
        var consumer = new AsyncEventingBasicConsumer(_consumerChannel);
        consumer.ReceivedAsync += OnReceivedAsync;
        // The broker cancels the consumer when the queue is deleted (the fanout service does so for a node declared
        // dead): declare it again, bind the rooms and catch up, as after a reconnect.
        consumer.UnregisteredAsync += (_, _) => Complete(closed);
        await _consumerChannel.BasicConsumeAsync(_queue, autoAck: true, consumer, stoppingToken);
        RealtimeLog.InboxConsuming(logger, _queue, registry.Count);

        // Whatever was committed while the bindings were missing comes from history.
        foreach (var room in registry.RoomIds)
        {
            CatchUp(room);
        }

        return closed.Task;
    }

    private Task OnReceivedAsync(object sender, BasicDeliverEventArgs args) =>
        args.BasicProperties.Type == BrokerNames.PresenceMessageType ? OnPresenceAsync(args) : OnEventsAsync(args);

    private Task OnEventsAsync(BasicDeliverEventArgs args)
    {
        using var activity = StartProcess(args);
        try
        {
            var message = MessageSerializer.Deserialize<RoomEventsCommitted>(args.Body.Span);
            if (message.Events.Count > 0)
            {
                Describe(activity, message);
                RealtimeLog.RoutedEventsReceived(logger, message.Events.Count, message.Room, message.Events[0].Seq, message.Events[^1].Seq);
            }

            RealtimeMetrics.Routed(message.Events.Count);
            registry.Dispatch(message.Room, message.Events);
        }
        catch (Exception ex)
        {
            MessagingActivity.Failed(activity, ex);
            RealtimeLog.UnreadableRoutedMessage(logger, ex, args.RoutingKey);
        }

        return Task.CompletedTask;
    }

    private async Task OnPresenceAsync(BasicDeliverEventArgs args)
    {
        using var activity = StartProcess(args);
        try
        {
            await presence.SendAsync(MessageSerializer.Deserialize<RoomPresenceChanged>(args.Body.Span));
        }
        catch (Exception ex)
        {
            MessagingActivity.Failed(activity, ex);
            RealtimeLog.UnreadablePresenceMessage(logger, ex, args.RoutingKey);
        }
    }

    private Activity? StartProcess(BasicDeliverEventArgs args)
    {
        if (!RealtimeActivity.Source.HasListeners())
        {
            return null;
        }

        var activity = MessagingActivity.StartProcess(RealtimeActivity.Source, MessagingActivity.ProcessRooms, BrokerNames.RoomsExchange, args.RoutingKey,
            _queue, AmqpTraceContext.Extract(args.BasicProperties.Headers));
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag(MessagingTags.NodeId, _nodeId);
            activity.SetTag(MessagingTags.Room, args.RoutingKey);
            activity.SetTag(MessagingTags.BodySize, args.Body.Length);
        }

        return activity;
    }

    private static void Describe(Activity? activity, RoomEventsCommitted message)
    {
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag(MessagingTags.EventCount, message.Events.Count);
            activity.SetTag(MessagingTags.FirstSeq, message.Events[0].Seq);
            activity.SetTag(MessagingTags.LastSeq, message.Events[^1].Seq);
        }
    }

    private void CatchUp(string room)
    {
        if (registry.TryGet(room, out var found))
        {
            found.CatchUp();
        }
    }

    private static Task Complete(TaskCompletionSource closed)
    {
        closed.TrySetResult();
        return Task.CompletedTask;
    }
}
