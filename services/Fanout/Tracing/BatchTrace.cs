using System.Diagnostics;
using Fanout.Contracts.Wire;
using Fanout.Messaging;
using Fanout.Messaging.Tracing;
using Fanout.Sequencer.Intake;

namespace Fanout.Sequencer.Tracing;

/// <summary>
/// The spans of one sequencer batch. A batch holds the submissions of many publishes, so it is not one span: each
/// message gets its own <c>process fanout.submit</c> consumer span, a child of the <c>publish fanout.submit</c> span
/// its <c>traceparent</c> header names, from when it arrived until its events are committed and routed. A trace viewer
/// then shows every publish as one trace through the sequencer, and the routed message continues from the span of its
/// room's first event (<see cref="ContextOf"/>). With tracing off this is <see cref="Off"/> and costs nothing.
/// </summary>
public sealed class BatchTrace : IDisposable
{
    public static readonly BatchTrace Off = new([], []);

    private readonly IReadOnlyList<PendingDelivery> _deliveries;
    private readonly Activity?[] _spans;
    private readonly Dictionary<Guid, int> _messageOfEvent = [];

    private BatchTrace(IReadOnlyList<PendingDelivery> deliveries, Activity?[] spans)
    {
        _deliveries = deliveries;
        _spans = spans;
        for (var i = 0; i < deliveries.Count; i++)
        {
            foreach (var submitted in deliveries[i].Submission?.Events ?? [])
            {
                _messageOfEvent.TryAdd(submitted.Id, i);
            }
        }
    }

    /// <summary>One span per delivery, each started when its message arrived; the current activity is left as it was.</summary>
    public static BatchTrace Start(IReadOnlyList<PendingDelivery> batch)
    {
        if (!SequencerActivity.Source.HasListeners())
        {
            return Off;
        }

        var previous = Activity.Current;
        var spans = new Activity?[batch.Count];
        for (var i = 0; i < batch.Count; i++)
        {
            var delivery = batch[i];
            var span = MessagingActivity.StartProcess(SequencerActivity.Source, MessagingActivity.ProcessSubmit, BrokerNames.SubmitExchange,
                BrokerNames.PartitionRoutingKey(delivery.Partition), BrokerNames.SubmitQueue(delivery.Partition), delivery.TraceParent, delivery.ReceivedAt);
            if (span is { IsAllDataRequested: true })
            {
                span.SetTag(MessagingTags.Partition, delivery.Partition);
                span.SetTag(MessagingTags.BatchMessageCount, batch.Count);
                if (delivery.Submission is { Events: var events })
                {
                    span.SetTag(MessagingTags.EventCount, events.Count);
                    span.SetTag(MessagingTags.Room, events[0].Room);
                    if (events.Count == 1)
                    {
                        span.SetTag(MessagingTags.EventId, events[0].Id.ToString());
                    }
                }
            }

            spans[i] = span;
        }

        Activity.Current = previous;
        return new BatchTrace(batch, spans);
    }

    /// <summary>The context a routed event continues: the span of the message that brought it (empty when unknown or off).</summary>
    public ActivityContext ContextOf(Guid eventId)
    {
        if (!_messageOfEvent.TryGetValue(eventId, out var index))
        {
            return default;
        }

        return _spans[index]?.Context ?? _deliveries[index].TraceParent;
    }

    /// <summary>
    /// The span of the message that brought the event, also when it is not recorded (an unsampled trace): logs written
    /// under it carry its trace id.
    /// </summary>
    public Activity? SpanOf(Guid eventId) => _messageOfEvent.TryGetValue(eventId, out var index) ? _spans[index] : null;

    /// <summary>Stamps each message's span with the commit and, for a single event, its <c>seq</c>.</summary>
    public void Committed(IReadOnlyList<RoomEvent> committed)
    {
        if (_spans.Length == 0)
        {
            return;
        }

        var now = DateTimeOffset.UtcNow;
        foreach (var span in _spans)
        {
            span?.AddEvent(new ActivityEvent("committed", now));
        }

        foreach (var roomEvent in committed)
        {
            if (_messageOfEvent.TryGetValue(roomEvent.Id, out var index) && _spans[index] is { IsAllDataRequested: true } span
                && _deliveries[index].Submission?.Events.Count == 1)
            {
                span.SetTag(MessagingTags.FirstSeq, roomEvent.Seq);
                span.SetTag(MessagingTags.LastSeq, roomEvent.Seq);
            }
        }
    }

    /// <summary>A failed store attempt, on every span of the batch (the batch is retried or abandoned).</summary>
    public void StoreFailed(Exception exception)
    {
        var now = DateTimeOffset.UtcNow;
        foreach (var span in _spans)
        {
            if (span is { IsAllDataRequested: true })
            {
                span.AddEvent(new ActivityEvent("store failed", now,
                    new ActivityTagsCollection { ["exception.type"] = exception.GetType().FullName, ["exception.message"] = exception.Message }));
            }
        }
    }

    /// <summary>The batch is left unacknowledged for redelivery (stopping, or its channels closed).</summary>
    public void Abandoned(Exception exception)
    {
        foreach (var span in _spans)
        {
            MessagingActivity.Failed(span, exception);
        }
    }

    /// <summary>Marks the span of the message <paramref name="delivery"/> came in (all of it, or one event of it) dead-lettered.</summary>
    public void DeadLettered(PendingDelivery delivery, string reason)
    {
        for (var i = 0; i < _deliveries.Count; i++)
        {
            if (ReferenceEquals(_deliveries[i].Channel, delivery.Channel) && _deliveries[i].DeliveryTag == delivery.DeliveryTag && _spans[i] is { } span)
            {
                MessagingActivity.Failed(span, "dead_lettered", reason);
                span.SetTag(MessagingTags.DeadLetterReason, reason);
            }
        }
    }

    /// <summary>Ends every span (after the batch was routed and acknowledged, or given up).</summary>
    public void Dispose()
    {
        var previous = Activity.Current;
        foreach (var span in _spans)
        {
            span?.Stop();
        }

        Activity.Current = previous;
    }
}
