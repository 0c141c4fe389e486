namespace Fanout.Ingest;

/// <summary>Ingest's structured log messages (event ids 4000–4099).</summary>
public static partial class IngestLog
{
    [LoggerMessage(EventId = 4001, Level = LogLevel.Debug, Message = "Accepted {Count} events for key {KeyName}")]
    public static partial void EventsAccepted(ILogger logger, int count, string keyName);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Debug, Message = "Accepted event {RoomEventId} of type {Type} for room {RoomId}")]
    public static partial void EventAccepted(ILogger logger, Guid roomEventId, string roomId, string type);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Information, Message = "Answered 503 for {Count} events of rooms {RoomIds}: {Reason}")]
    public static partial void SubmissionUnavailable(ILogger logger, int count, string roomIds, string reason);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Warning, Message = "Reading the history of room {RoomId} failed; answered 503")]
    public static partial void HistoryUnavailable(ILogger logger, Exception exception, string roomId);

    [LoggerMessage(EventId = 4010, Level = LogLevel.Information, Message = "Refused a request from {RemoteAddress}: unknown API key")]
    public static partial void ApiKeyRejected(ILogger logger, string remoteAddress);

    [LoggerMessage(EventId = 4011, Level = LogLevel.Information, Message = "Reloaded the API keys: {Count} keys in force ({KeyNames})")]
    public static partial void ApiKeysReloaded(ILogger logger, int count, string keyNames);

    [LoggerMessage(EventId = 4012, Level = LogLevel.Error, Message = "Ignored the changed API key settings, the previous {Count} keys stay in force: {Errors}")]
    public static partial void ApiKeysReloadRejected(ILogger logger, int count, string errors);

    [LoggerMessage(EventId = 4013, Level = LogLevel.Warning, Message = "API key {KeyName} is configured in plain text ({Setting}:Key); outside development configure its SHA-256 as {Setting}:Hash instead (scripts/hash-api-key.sh)")]
    public static partial void PlainApiKey(ILogger logger, string keyName, string setting);

    [LoggerMessage(EventId = 4014, Level = LogLevel.Debug, Message = "Answered 429 to key {KeyName}: over its rate limit")]
    public static partial void RateLimited(ILogger logger, string keyName);

    [LoggerMessage(EventId = 4020, Level = LogLevel.Error, Message = "Unhandled exception on {Method} {Path}; answered 500")]
    public static partial void UnhandledException(ILogger logger, Exception exception, string method, string path);

    [LoggerMessage(EventId = 4030, Level = LogLevel.Warning, Message = "Reading presence for {Path} failed (presence store unreachable); answered 503")]
    public static partial void PresenceUnavailable(ILogger logger, Exception exception, string path);
}
