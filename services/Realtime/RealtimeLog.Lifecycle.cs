namespace Fanout.Realtime;

/// <summary>Log messages of the node's graceful stop (event ids 5320–5329).</summary>
public static partial class RealtimeLog
{
    [LoggerMessage(EventId = 5320, Level = LogLevel.Information,
        Message = "Draining: telling {Connections} connections to reconnect elsewhere, at most {TimeoutMs} ms; not ready, refusing new connections")]
    public static partial void Draining(ILogger logger, int connections, double timeoutMs);

    [LoggerMessage(EventId = 5321, Level = LogLevel.Information,
        Message = "Drained in {ElapsedMs} ms: {Connections} connections told to reconnect, {Aborted} still open were closed")]
    public static partial void Drained(ILogger logger, int connections, int aborted, double elapsedMs);
}
