using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Fanout.PresenceStore.Redis;

/// <summary>
/// The process's Redis multiplexer (<c>ConnectionStrings:redis</c>), connected on first use. It never fails to start:
/// while Redis is down, commands throw <see cref="RedisException"/>s (which callers treat as "presence unavailable").
/// The multiplexer reconnects by itself after a lost connection; one that has not been connected for
/// <see cref="RebuildAfter"/> (seen with StackExchange.Redis 1.2.6 when the very first connect failed on a loaded
/// machine) is replaced by a new one.
/// </summary>
public sealed partial class RedisConnection(string connectionString, ILogger<RedisConnection> logger) : IDisposable
{
    private static readonly TimeSpan RebuildAfter = TimeSpan.FromSeconds(10);

    private readonly Lock _gate = new();
    private ConnectionMultiplexer? _multiplexer;
    private DateTime _connectedOrBuiltAt;

    public IDatabase Database => Current().GetDatabase();

    public bool IsConnected => Current().IsConnected;

    private ConnectionMultiplexer Current()
    {
        var current = _multiplexer;
        if (current is not null && (current.IsConnected ? Touch() : DateTime.UtcNow - _connectedOrBuiltAt < RebuildAfter))
        {
            return current;
        }

        lock (_gate)
        {
            if (_multiplexer is null || (!_multiplexer.IsConnected && DateTime.UtcNow - _connectedOrBuiltAt >= RebuildAfter))
            {
                var stale = _multiplexer;
                _multiplexer = Connect(connectionString, logger);
                _connectedOrBuiltAt = DateTime.UtcNow;
                if (stale is not null)
                {
                    LogRebuilt(logger);
                    stale.Dispose();
                }
            }

            return _multiplexer;
        }
    }

    private bool Touch()
    {
        _connectedOrBuiltAt = DateTime.UtcNow;
        return true;
    }

    private static ConnectionMultiplexer Connect(string connectionString, ILogger logger)
    {
        var options = ConfigurationOptions.Parse(connectionString);
        options.AbortOnConnectFail = false;
        options.ConnectRetry = Math.Max(options.ConnectRetry, 3);
        options.SyncTimeout = Math.Min(options.SyncTimeout, 3_000);
        options.ClientName ??= "fanout";
        var multiplexer = ConnectionMultiplexer.Connect(options);
        multiplexer.ConnectionFailed += (_, args) => LogConnectionFailed(logger, args.Exception, args.FailureType.ToString(), args.EndPoint?.ToString());
        multiplexer.ConnectionRestored += (_, args) => LogConnectionRestored(logger, args.EndPoint?.ToString());
        return multiplexer;
    }

    public void Dispose() => _multiplexer?.Dispose();

    [LoggerMessage(EventId = 6001, Level = LogLevel.Warning,
        Message = "Redis connection to {Endpoint} lost ({FailureType}); presence is paused until it returns")]
    private static partial void LogConnectionFailed(ILogger logger, Exception? exception, string failureType, string? endpoint);

    [LoggerMessage(EventId = 6002, Level = LogLevel.Information, Message = "Redis connection to {Endpoint} restored")]
    private static partial void LogConnectionRestored(ILogger logger, string? endpoint);

    [LoggerMessage(EventId = 6003, Level = LogLevel.Warning,
        Message = "The Redis connection was not back within 10 s; replaced it with a new one")]
    private static partial void LogRebuilt(ILogger logger);
}
