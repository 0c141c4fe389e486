using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Fanout.PresenceStore.Redis;

/// <summary>
/// The process's Redis multiplexer (<c>ConnectionStrings:redis</c>), connected on first use. It never fails to start:
/// the multiplexer keeps (re)connecting by itself, and while Redis is down commands fail fast with
/// <see cref="RedisException"/>s (which callers treat as "presence unavailable") instead of waiting in a backlog.
/// StackExchange.Redis commands take no cancellation token: the stores stop waiting for a command when theirs is
/// cancelled (each change is one atomic script, so an abandoned command has either happened whole or not at all).
/// </summary>
public sealed partial class RedisConnection(string connectionString, ILogger<RedisConnection> logger) : IDisposable
{
    private readonly Lazy<ConnectionMultiplexer> _multiplexer = new(() => Connect(connectionString, logger));

    public IDatabase Database => _multiplexer.Value.GetDatabase();

    public bool IsConnected => _multiplexer.Value.IsConnected;

    private static ConnectionMultiplexer Connect(string connectionString, ILogger logger)
    {
        var options = ConfigurationOptions.Parse(connectionString);
        options.AbortOnConnectFail = false;
        options.BacklogPolicy = BacklogPolicy.FailFast;
        options.ConnectRetry = Math.Max(options.ConnectRetry, 3);
        options.SyncTimeout = Math.Min(options.SyncTimeout, 3_000);
        options.AsyncTimeout = Math.Min(options.AsyncTimeout, 3_000);
        options.ClientName ??= "fanout";
        var multiplexer = ConnectionMultiplexer.Connect(options);
        multiplexer.ConnectionFailed += (_, args) => LogConnectionFailed(logger, args.Exception, args.FailureType.ToString(), args.EndPoint?.ToString());
        multiplexer.ConnectionRestored += (_, args) => LogConnectionRestored(logger, args.EndPoint?.ToString());
        return multiplexer;
    }

    public void Dispose()
    {
        if (_multiplexer.IsValueCreated)
        {
            _multiplexer.Value.Dispose();
        }
    }

    [LoggerMessage(EventId = 6001, Level = LogLevel.Warning,
        Message = "Redis connection to {Endpoint} lost ({FailureType}); presence is paused until it returns")]
    private static partial void LogConnectionFailed(ILogger logger, Exception? exception, string failureType, string? endpoint);

    [LoggerMessage(EventId = 6002, Level = LogLevel.Information, Message = "Redis connection to {Endpoint} restored")]
    private static partial void LogConnectionRestored(ILogger logger, string? endpoint);
}
