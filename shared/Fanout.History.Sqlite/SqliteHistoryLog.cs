using Microsoft.Extensions.Logging;

namespace Fanout.History.Sqlite;

/// <summary>The SQLite history store's structured log messages (event ids 2100–2149).</summary>
internal static partial class SqliteHistoryLog
{
    [LoggerMessage(EventId = 2100, Level = LogLevel.Information,
        Message = "History database {Path} open (incarnation {Incarnation}, synchronous {Synchronous}, max size {MaxSizeMb} MiB, 0 = none)")]
    public static partial void Opened(ILogger logger, string path, string incarnation, SqliteSynchronous synchronous, int maxSizeMb);

    [LoggerMessage(EventId = 2101, Level = LogLevel.Warning,
        Message = "The history database {Path} is not the one this data directory last ran with (copied or restored); every room gets a new epoch")]
    public static partial void IncarnationRenewed(ILogger logger, string path);

    [LoggerMessage(EventId = 2130, Level = LogLevel.Information, Message = "Room {RoomId} history reset: new epoch {Epoch} from seq {FirstSeq}")]
    public static partial void RoomReset(ILogger logger, string roomId, string epoch, long firstSeq);
}
