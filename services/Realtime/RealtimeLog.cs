namespace Fanout.Realtime;

/// <summary>The realtime node's structured log messages (event ids 5000–5099).</summary>
public static partial class RealtimeLog
{
    [LoggerMessage(EventId = 5001, Level = LogLevel.Information, Message = "Consuming {Queue} with {Rooms} rooms bound")]
    public static partial void InboxConsuming(ILogger logger, string queue, int rooms);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Warning, Message = "{Queue} channel closed; connecting again")]
    public static partial void InboxInterrupted(ILogger logger, string queue);

    [LoggerMessage(EventId = 5003, Level = LogLevel.Warning, Message = "{Queue} consumer failed; retrying in {DelayMs} ms")]
    public static partial void InboxFailed(ILogger logger, Exception exception, string queue, double delayMs);

    [LoggerMessage(EventId = 5004, Level = LogLevel.Warning, Message = "Binding room {RoomId} failed; it is bound again on reconnect")]
    public static partial void BindFailed(ILogger logger, Exception exception, string roomId);

    [LoggerMessage(EventId = 5005, Level = LogLevel.Warning, Message = "Room {RoomId} not bound (broker unreachable); history fills it until reconnect")]
    public static partial void BindDeferred(ILogger logger, string roomId);

    [LoggerMessage(EventId = 5006, Level = LogLevel.Warning, Message = "Unbinding room {RoomId} failed")]
    public static partial void UnbindFailed(ILogger logger, Exception exception, string roomId);

    [LoggerMessage(EventId = 5007, Level = LogLevel.Warning, Message = "Unreadable routed message for {RoomId}")]
    public static partial void UnreadableRoutedMessage(ILogger logger, Exception exception, string roomId);

    [LoggerMessage(EventId = 5008, Level = LogLevel.Debug, Message = "Received {Events} routed events of room {RoomId}, seq {FirstSeq}–{LastSeq}")]
    public static partial void RoutedEventsReceived(ILogger logger, int events, string roomId, long firstSeq, long lastSeq);

    [LoggerMessage(EventId = 5010, Level = LogLevel.Error, Message = "Delivering events of room {RoomId} failed; the position check fills the gap")]
    public static partial void DeliveryFailed(ILogger logger, Exception exception, string roomId);

    [LoggerMessage(EventId = 5011, Level = LogLevel.Information, Message = "Room {RoomId} behind history ({Delivered} < {Committed}); catching up")]
    public static partial void CatchingUp(ILogger logger, string roomId, long delivered, long committed);

    [LoggerMessage(EventId = 5012, Level = LogLevel.Warning, Message = "Position check failed")]
    public static partial void PositionCheckFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 5021, Level = LogLevel.Debug, Message = "Accepted event {RoomEventId} of type {Type} for room {RoomId} from a hub client")]
    public static partial void PublishAccepted(ILogger logger, Guid roomEventId, string roomId, string type);

    [LoggerMessage(EventId = 5020, Level = LogLevel.Warning, Message = "Publish to {RoomId} not accepted: {Reason}")]
    public static partial void PublishRejected(ILogger logger, string roomId, string reason);
}
