using Microsoft.Extensions.Logging;

namespace Fanout.History;

/// <summary>The history store's structured log messages (event ids 2000–2099; 2001–2002 are the migrator's).</summary>
internal static partial class HistoryLog
{
    [LoggerMessage(EventId = 2010, Level = LogLevel.Debug, Message = "History query {Operation} {RoomId} (query {Total} of this process)")]
    public static partial void Query(ILogger logger, string operation, string roomId, long total);

    [LoggerMessage(EventId = 2020, Level = LogLevel.Warning,
        Message = "The history database is not the one last seen (fingerprint {Previous} -> {Current}: restored, copied or failed over); every room gets a new epoch")]
    public static partial void IncarnationChanged(ILogger logger, string previous, string current);

    [LoggerMessage(EventId = 2021, Level = LogLevel.Warning, Message = "Reading the database fingerprint failed; the restore check is skipped")]
    public static partial void FingerprintUnavailable(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 2040, Level = LogLevel.Information, Message = "Retention trimmed {Events} events from {Rooms} rooms and forgot {Keys} idempotency keys past their window")]
    public static partial void Trimmed(ILogger logger, int rooms, long events, long keys);

    [LoggerMessage(EventId = 2041, Level = LogLevel.Warning, Message = "Retention pass failed; retrying at the next interval")]
    public static partial void TrimFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 2030, Level = LogLevel.Information, Message = "Room {RoomId} history reset: new epoch {Epoch} from seq {FirstSeq}")]
    public static partial void RoomReset(ILogger logger, string roomId, string epoch, long firstSeq);
}
