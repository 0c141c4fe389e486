namespace Fanout.Presence;

/// <summary>The presence service's log messages (event ids 6100–6199).</summary>
internal static partial class PresenceLog
{
    [LoggerMessage(EventId = 6101, Level = LogLevel.Warning,
        Message = "Node {NodeId} missed its heartbeats (TTL {TtlMs} ms): declaring it dead")]
    public static partial void NodeLapsed(ILogger logger, string nodeId, double ttlMs);

    [LoggerMessage(EventId = 6102, Level = LogLevel.Information,
        Message = "Evicted node {NodeId}: removed {Entries} presence entries (stopped because the node is back: {NodeIsBack})")]
    public static partial void NodeEvicted(ILogger logger, string nodeId, int entries, bool nodeIsBack);

    [LoggerMessage(EventId = 6103, Level = LogLevel.Warning, Message = "Could not announce that node {NodeId} is down; retrying at the next sweep")]
    public static partial void AnnounceFailed(ILogger logger, Exception exception, string nodeId);

    [LoggerMessage(EventId = 6104, Level = LogLevel.Warning,
        Message = "Sweeping for dead nodes failed (Redis unavailable?); dead nodes are not detected until it works again")]
    public static partial void SweepFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 6105, Level = LogLevel.Information,
        Message = "Sweeping works again; lapsed nodes are claimed from {ClaimsResumeAt} (one heartbeat TTL of grace)")]
    public static partial void SweepResumed(ILogger logger, DateTimeOffset claimsResumeAt);

    [LoggerMessage(EventId = 6110, Level = LogLevel.Information, Message = "Presence relay leadership: {Leader} (owner {Owner})")]
    public static partial void RelayLeadership(ILogger logger, bool leader, string owner);

    [LoggerMessage(EventId = 6111, Level = LogLevel.Warning,
        Message = "Relaying join/leave transitions failed (Redis or RabbitMQ unavailable?); retrying every second")]
    public static partial void RelayFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 6112, Level = LogLevel.Information, Message = "Relaying join/leave transitions works again")]
    public static partial void RelayResumed(ILogger logger);
}
