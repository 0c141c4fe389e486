namespace Fanout.Sequencer;

/// <summary>The sequencer's structured log messages (event ids 3000–3099).</summary>
public static partial class SequencerLog
{
    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "Consuming {Partitions} preferred partition queues")]
    public static partial void IntakeStarted(ILogger logger, int partitions);

    [LoggerMessage(EventId = 3005, Level = LogLevel.Information, Message = "Standing by on {Partitions} more partition queues")]
    public static partial void StandbyStarted(ILogger logger, int partitions);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Warning, Message = "A partition channel closed; consuming again")]
    public static partial void IntakeInterrupted(ILogger logger);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Warning, Message = "Partition intake failed; retrying in {DelayMs} ms")]
    public static partial void IntakeFailed(ILogger logger, Exception exception, double delayMs);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Warning, Message = "Cancelling a partition consumer failed")]
    public static partial void CancelFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 3010, Level = LogLevel.Debug, Message = "Committed {Events} events from {Messages} messages")]
    public static partial void BatchCommitted(ILogger logger, int events, int messages);

    [LoggerMessage(EventId = 3011, Level = LogLevel.Warning, Message = "Storing {Events} events failed; retrying in {DelayMs} ms")]
    public static partial void BatchRetry(ILogger logger, Exception exception, int events, double delayMs);

    [LoggerMessage(EventId = 3012, Level = LogLevel.Warning, Message = "Gave up storing {Events} events (stopping or channel closed); the broker redelivers them")]
    public static partial void BatchAbandoned(ILogger logger, Exception exception, int events);

    [LoggerMessage(EventId = 3013, Level = LogLevel.Error, Message = "PostgreSQL refused a batch of {Events} events; storing its messages one by one")]
    public static partial void BatchRefused(ILogger logger, Exception exception, int events);

    [LoggerMessage(EventId = 3014, Level = LogLevel.Error, Message = "Dead-lettered message {DeliveryTag} of partition {Partition}: {Reason}; events {Events}")]
    public static partial void DeadLettered(ILogger logger, int partition, ulong deliveryTag, string reason, string events);

    [LoggerMessage(EventId = 3015, Level = LogLevel.Error,
        Message = "Could not dead-letter message {DeliveryTag} of partition {Partition}; it stays unacknowledged (the partition waits) and is retried in {DelayMs} ms (0: its channel closed, the broker redelivers it)")]
    public static partial void DeadLetterFailed(ILogger logger, Exception exception, int partition, ulong deliveryTag, double delayMs);

    [LoggerMessage(EventId = 3016, Level = LogLevel.Warning, Message = "Acknowledging up to {DeliveryTag} failed; the broker redelivers those messages")]
    public static partial void AckFailed(ILogger logger, Exception exception, ulong deliveryTag);

    [LoggerMessage(EventId = 3020, Level = LogLevel.Warning, Message = "Routing {Events} committed events failed; nodes fill the gap from history")]
    public static partial void RoutingFailed(ILogger logger, Exception exception, int events);

    [LoggerMessage(EventId = 3021, Level = LogLevel.Debug, Message = "Routing {Events} events of room {RoomId}, seq {FirstSeq}–{LastSeq}")]
    public static partial void RoomRouted(ILogger logger, int events, string roomId, long firstSeq, long lastSeq);

    [LoggerMessage(EventId = 3035, Level = LogLevel.Information,
        Message = "Node {NodeId} is down (clean shutdown: {Clean}): deleted its queue {Queue} with {Dropped} undelivered messages; no more routing to it")]
    public static partial void NodeQueueDeleted(ILogger logger, string nodeId, string queue, uint dropped, bool clean);

    [LoggerMessage(EventId = 3040, Level = LogLevel.Debug, Message = "Reading the partition queues' message counts failed; the backlog gauge is empty until the next poll")]
    public static partial void BacklogPollFailed(ILogger logger, Exception exception);
}
