namespace Fanout.Realtime.Rooms;

/// <summary>Log messages of recovery and epochs on a realtime node (event ids 5040–5049).</summary>
internal static partial class RecoveryLog
{
    [LoggerMessage(EventId = 5040, Level = LogLevel.Information, Message = "Room {RoomId} has a new epoch ({Previous} -> {Current}): its history was reset or restored")]
    public static partial void EpochChanged(ILogger logger, string roomId, string previous, string current);

    [LoggerMessage(EventId = 5041, Level = LogLevel.Debug, Message = "Connection {ConnectionId} not recovered in {RoomId} after seq {AfterSeq}: {Reason}")]
    public static partial void NotRecovered(ILogger logger, string connectionId, string roomId, long afterSeq, string reason);

    [LoggerMessage(EventId = 5042, Level = LogLevel.Warning,
        Message = "Connection {ConnectionId} fell behind room {RoomId} while replaying (more than {MaxMessages} events or {MaxBytes} bytes buffered): closed as slow")]
    public static partial void ReplayOverflowed(ILogger logger, string connectionId, string roomId, int maxMessages, long maxBytes);

    [LoggerMessage(EventId = 5043, Level = LogLevel.Warning,
        Message = "Connection {ConnectionId} took no replayed event of room {RoomId} for {StallMs} ms: closed as slow")]
    public static partial void ReplayStalled(ILogger logger, string connectionId, string roomId, int stallMs);
}
