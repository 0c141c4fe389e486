namespace Fanout.Realtime;

/// <summary>Log messages of this node's presence (event ids 5200–5299).</summary>
public static partial class RealtimeLog
{
    [LoggerMessage(EventId = 5201, Level = LogLevel.Warning,
        Message = "Presence store unavailable for node {NodeId}: presence is paused (event delivery does not depend on it); the node reconciles when it returns")]
    public static partial void PresenceUnavailable(ILogger logger, Exception exception, string nodeId);

    [LoggerMessage(EventId = 5202, Level = LogLevel.Information, Message = "Presence store available again for node {NodeId}")]
    public static partial void PresenceRestored(ILogger logger, string nodeId);

    [LoggerMessage(EventId = 5203, Level = LogLevel.Information,
        Message = "Node {NodeId} reconciled its presence (registered anew: {Registered}): holds {Entries} entries, added {Added}, removed {Removed} stale")]
    public static partial void PresenceReconciled(ILogger logger, string nodeId, bool registered, int entries, int added, int removed);

    [LoggerMessage(EventId = 5204, Level = LogLevel.Information, Message = "Node {NodeId} deregistered from presence and removed its {Entries} entries")]
    public static partial void PresenceDeregistered(ILogger logger, string nodeId, int entries);

    [LoggerMessage(EventId = 5205, Level = LogLevel.Warning,
        Message = "Node {NodeId} could not deregister from presence; the presence service evicts it when its heartbeat lapses")]
    public static partial void PresenceDeregisterFailed(ILogger logger, Exception exception, string nodeId);

    [LoggerMessage(EventId = 5206, Level = LogLevel.Warning, Message = "Unreadable presence message for room {RoomId}; dropped")]
    public static partial void UnreadablePresenceMessage(ILogger logger, Exception exception, string roomId);
}
