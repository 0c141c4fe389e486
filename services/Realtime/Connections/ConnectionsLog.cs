namespace Fanout.Realtime.Connections;

/// <summary>Structured log messages of connection outboxes (event ids 5300–5309).</summary>
public static partial class ConnectionsLog
{
    [LoggerMessage(EventId = 5300, Level = LogLevel.Warning,
        Message = "Connection {ConnectionId} is a slow consumer ({Messages} messages, {Bytes} bytes waiting); disconnecting with reason slow")]
    public static partial void SlowConsumerDisconnected(ILogger logger, string connectionId, int messages, long bytes);

    [LoggerMessage(EventId = 5301, Level = LogLevel.Debug, Message = "Writing to connection {ConnectionId} failed")]
    public static partial void WriteFailed(ILogger logger, Exception exception, string connectionId);
}
