namespace Fanout.Ingest;

/// <summary>Ingest's structured log messages (event ids 4000–4099).</summary>
public static partial class IngestLog
{
    [LoggerMessage(EventId = 4001, Level = LogLevel.Debug, Message = "Accepted {Count} events for key {KeyName}")]
    public static partial void EventsAccepted(ILogger logger, int count, string keyName);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Information, Message = "Answered 503 for {Count} events: {Reason}")]
    public static partial void SubmissionUnavailable(ILogger logger, int count, string reason);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Warning, Message = "Reading the history of room {RoomId} failed; answered 503")]
    public static partial void HistoryUnavailable(ILogger logger, Exception exception, string roomId);

    [LoggerMessage(EventId = 4010, Level = LogLevel.Information, Message = "Refused a request from {RemoteAddress}: unknown API key")]
    public static partial void ApiKeyRejected(ILogger logger, string remoteAddress);

    [LoggerMessage(EventId = 4020, Level = LogLevel.Error, Message = "Unhandled exception on {Method} {Path}; answered 500")]
    public static partial void UnhandledException(ILogger logger, Exception exception, string method, string path);
}
