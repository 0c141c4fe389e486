using System.Diagnostics;
using Fanout.Contracts.Messages;
using Fanout.Contracts.Wire;
using Fanout.Messaging;
using Fanout.Messaging.Tracing;
using Fanout.Sequencer.Metrics;
using Fanout.Sequencer.Tracing;
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

    public async Task RouteAsync(IReadOnlyList<RoomEvent> committed, BatchTrace trace, CancellationToken cancellationToken)
    {
        if (committed.Count == 0)
        {
            return;
        }

        try
        {
            await _channel.UseAsync(channel => PublishPerRoomAsync(channel, committed, trace, cancellationToken), cancellationToken);
            metrics.Routed(committed.Count);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Nodes fill the gap from history; routing failures never lose events.
            SequencerLog.RoutingFailed(logger, ex, committed.Count);
        }
    }

    public ValueTask DisposeAsync() => _channel.DisposeAsync();

    private async Task PublishPerRoomAsync(IChannel channel, IReadOnlyList<RoomEvent> committed, BatchTrace trace, CancellationToken cancellationToken)
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
            var previous = Activity.Current;
            using (var activity = StartPublish(room, events, trace))
            {
                // An unsampled trace has no publish span; its log line still carries the trace id of the message's span.
                if (activity is null && trace.SpanOf(events[0].Id) is { } messageSpan)
                {
                    Activity.Current = messageSpan;
                }

                SequencerLog.RoomRouted(logger, events.Count, room, events[0].Seq, events[^1].Seq);
                try
                {
                    await channel.BasicPublishAsync(BrokerNames.RoomsExchange, room, mandatory: false, PropertiesFor(activity, events, trace), body,
                        cancellationToken);
                }
                catch (Exception ex)
                {
                    MessagingActivity.Failed(activity, ex);
                    throw;
                }
            }

            if (Activity.Current != previous)
            {
                Activity.Current = previous;
            }

            start = i;
        }
    }

    private static Activity? StartPublish(string room, List<RoomEvent> events, BatchTrace trace)
    {
        if (!SequencerActivity.Source.HasListeners())
        {
            return null;
        }

        var parent = trace.ContextOf(events[0].Id);
        List<ActivityLink>? links = null;
        foreach (var roomEvent in events)
        {
            var context = trace.ContextOf(roomEvent.Id);
            if (context != default && context != parent && (links is null || !links.Exists(l => l.Context == context)))
            {
                (links ??= []).Add(new ActivityLink(context));
            }
        }

        var activity = MessagingActivity.StartPublish(SequencerActivity.Source, MessagingActivity.PublishRooms, BrokerNames.RoomsExchange, room, parent, links);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag(MessagingTags.Room, room);
            activity.SetTag(MessagingTags.EventCount, events.Count);
            activity.SetTag(MessagingTags.FirstSeq, events[0].Seq);
            activity.SetTag(MessagingTags.LastSeq, events[^1].Seq);
            if (events.Count == 1)
            {
                activity.SetTag(MessagingTags.EventId, events[0].Id.ToString());
            }
        }

        return activity;
    }

    /// <summary>The shared properties, or with tracing on a copy carrying the trace context (RabbitMQ.Client may write into the headers it is given).</summary>
    private static BasicProperties PropertiesFor(Activity? activity, List<RoomEvent> events, BatchTrace trace)
    {
        var headers = MessagingActivity.TraceHeaders(SequencerActivity.Source, activity, trace.ContextOf(events[0].Id));
        return headers is null ? Transient : new BasicProperties { Persistent = false, ContentType = "application/json", Headers = headers };
    }
}
