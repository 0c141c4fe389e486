namespace Fanout.Realtime.Rooms;

/// <summary>Log messages of recovery and epochs on a realtime node (event ids 5040–5049).</summary>
internal static partial class RecoveryLog
{
    [LoggerMessage(EventId = 5040, Level = LogLevel.Information, Message = "Room {RoomId} has a new epoch ({Previous} -> {Current}): its history was reset or restored")]
    public static partial void EpochChanged(ILogger logger, string roomId, string previous, string current);

    [LoggerMessage(EventId = 5041, Level = LogLevel.Debug, Message = "Connection {ConnectionId} not recovered in {RoomId} after seq {AfterSeq}: {Reason}")]
    public static partial void NotRecovered(ILogger logger, string connectionId, string roomId, long afterSeq, string reason);
}
