namespace Fanout.Messaging.Tracing;

/// <summary>Span attribute names: the OpenTelemetry messaging conventions where one fits, <c>fanout.*</c> for the rest.</summary>
public static class MessagingTags
{
    public const string System = "messaging.system";
    public const string OperationName = "messaging.operation.name";
    public const string OperationType = "messaging.operation.type";

    /// <summary>The exchange.</summary>
    public const string Destination = "messaging.destination.name";

    public const string RoutingKey = "messaging.rabbitmq.destination.routing_key";

    /// <summary>The queue a consumer reads.</summary>
    public const string Subscription = "messaging.destination.subscription.name";

    /// <summary>Messages handled together (the sequencer's batch).</summary>
    public const string BatchMessageCount = "messaging.batch.message_count";

    public const string BodySize = "messaging.message.body.size";

    public const string Room = "fanout.room";

    /// <summary>The event's id, when the span is about one event.</summary>
    public const string EventId = "fanout.event.id";

    public const string EventCount = "fanout.event.count";

    /// <summary>How many callers' submissions share the message (group commit).</summary>
    public const string SubmissionCount = "fanout.submission.count";

    /// <summary>The first and last <c>seq</c> of the room's events in the message.</summary>
    public const string FirstSeq = "fanout.seq.first";

    public const string LastSeq = "fanout.seq.last";

    public const string Partition = "fanout.partition";

    public const string NodeId = "fanout.node.id";

    /// <summary>Why a submission was dead-lettered.</summary>
    public const string DeadLetterReason = "fanout.dead_letter.reason";
}
