using System.Threading.RateLimiting;
using Fanout.Realtime.Connections;
using Fanout.Realtime.Hubs;
using Microsoft.Extensions.Options;

namespace Fanout.Realtime.Limits;

/// <summary>
/// Enforces <see cref="ConnectionLimitsOptions"/> on one node: token buckets per connection for <c>Publish</c> and
/// <c>Subscribe</c> (one shared replenishment timer for all connections), the rooms each connection holds (counted in its
/// <see cref="NodeConnection"/>), the connections each user holds and the node's connections. A refusal is a hub error
/// (<see cref="HubErrors"/>) whose message names the method and the limit.
/// </summary>
public sealed class ConnectionLimiter : IDisposable
{
    private readonly ConnectionLimitsOptions _options;
    private readonly NodeConnections _connections;
    private readonly PartitionedRateLimiter<string> _publish;
    private readonly PartitionedRateLimiter<string> _subscribe;
    private readonly Dictionary<string, int> _users = new(StringComparer.Ordinal);
    private int _connectionCount;

    public ConnectionLimiter(IOptions<ConnectionLimitsOptions> options, NodeConnections connections)
    {
        _options = options.Value;
        _connections = connections;
        _publish = Buckets(_options.PublishPerSecond, _options.PublishBurst);
        _subscribe = Buckets(_options.SubscribePerSecond, _options.SubscribeBurst);
    }

    /// <summary>Connections counted on this node.</summary>
    public int Connections => Volatile.Read(ref _connectionCount);

    /// <summary>
    /// Counts a new connection of <paramref name="userId"/>; throws when the node or the user holds the most allowed.
    /// </summary>
    public void Connected(string connectionId, string userId)
    {
        if (Interlocked.Increment(ref _connectionCount) > _options.MaxConnections)
        {
            Interlocked.Decrement(ref _connectionCount);
            Metrics.RealtimeMetrics.HubInvocationThrottled("MaxConnections");
            throw HubErrors.Create(HubErrors.LimitExceeded, $"too many connections: this node holds {_options.MaxConnections}, its " +
                "limit (Realtime:Limits:MaxConnections); connect again later or to another node");
        }

        lock (_users)
        {
            var held = _users.GetValueOrDefault(userId);
            if (held >= _options.MaxConnectionsPerUser)
            {
                Interlocked.Decrement(ref _connectionCount);
                Metrics.RealtimeMetrics.HubInvocationThrottled("MaxConnectionsPerUser");
                throw HubErrors.Create(HubErrors.LimitExceeded, $"too many connections: user '{userId}' already holds {held} on this node, the limit " +
                    $"(Realtime:Limits:MaxConnectionsPerUser); close one first");
            }

            _users[userId] = held + 1;
        }

        if (_connections.TryGet(connectionId, out var connection))
        {
            connection.CountedUser = userId;
        }
    }

    /// <summary>Forgets a connection that <see cref="Connected"/> counted; nothing for any other.</summary>
    public void Disconnected(string connectionId)
    {
        if (!_connections.TryGet(connectionId, out var connection) || connection.CountedUser is not { } userId)
        {
            return;
        }

        connection.CountedUser = null;
        Interlocked.Decrement(ref _connectionCount);
        lock (_users)
        {
            if (_users.GetValueOrDefault(userId) <= 1)
            {
                _users.Remove(userId);
            }
            else
            {
                _users[userId]--;
            }
        }
    }

    /// <summary>Takes a token of the connection's <c>Publish</c> bucket, or throws saying when to retry.</summary>
    public void AcquirePublish(string method, string connectionId) => Acquire(_publish, method, connectionId);

    /// <summary>Takes a token of the connection's <c>Subscribe</c> bucket, or throws saying when to retry.</summary>
    public void AcquireSubscribe(string method, string connectionId) => Acquire(_subscribe, method, connectionId);

    /// <summary>
    /// Throws when subscribing to <paramref name="room"/> would pass the most subscriptions one connection may hold
    /// (subscribing again to a held room does not count twice).
    /// </summary>
    public void CheckRoom(string method, string connectionId, string room)
    {
        if (!_connections.TryGet(connectionId, out var connection))
        {
            return;
        }

        lock (connection.Rooms)
        {
            if (!connection.Rooms.TryGetValue(room, out _) && connection.Rooms.Count >= _options.MaxSubscriptionsPerConnection)
            {
                Metrics.RealtimeMetrics.HubInvocationThrottled("MaxSubscriptionsPerConnection");
                throw HubErrors.Create(HubErrors.LimitExceeded, $"{method}: the connection already holds {connection.Rooms.Count} subscriptions, the limit " +
                    "(Realtime:Limits:MaxSubscriptionsPerConnection); unsubscribe from a room first");
            }
        }
    }

    public void Dispose()
    {
        _publish.Dispose();
        _subscribe.Dispose();
    }

    private static void Acquire(PartitionedRateLimiter<string> limiter, string method, string connectionId)
    {
        using var lease = limiter.AttemptAcquire(connectionId);
        if (lease.IsAcquired)
        {
            return;
        }

        var retry = lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : TimeSpan.FromSeconds(1);
        Metrics.RealtimeMetrics.HubInvocationThrottled(method);
        throw HubErrors.Create(HubErrors.TooManyRequests, $"{method}: rate limit exceeded; retry in {Math.Max(1, (long)Math.Ceiling(retry.TotalMilliseconds))} ms");
    }

    /// <summary>
    /// A token bucket per connection holding <paramref name="burst"/> tokens, refilled at <paramref name="perSecond"/>:
    /// every 100 ms by a tenth of the rate from 10 per second up, else one token every 1/rate seconds.
    /// </summary>
    private static PartitionedRateLimiter<string> Buckets(int perSecond, int burst)
    {
        var (period, tokens) = perSecond >= 10
            ? (TimeSpan.FromMilliseconds(100), Math.Max(1, perSecond / 10))
            : (TimeSpan.FromSeconds(1.0 / perSecond), 1);
        var options = new TokenBucketRateLimiterOptions
        {
            TokenLimit = burst,
            TokensPerPeriod = tokens,
            ReplenishmentPeriod = period,
            QueueLimit = 0,
            AutoReplenishment = true,
        };
        return PartitionedRateLimiter.Create<string, string>(id => RateLimitPartition.GetTokenBucketLimiter(id, _ => options));
    }
}
