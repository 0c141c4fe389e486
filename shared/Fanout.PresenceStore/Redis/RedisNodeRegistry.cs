using System.Globalization;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Fanout.PresenceStore.Redis;

/// <summary><see cref="INodeRegistry"/> in Redis: a sorted set of node expiries and a hash per node (<see cref="RedisPresenceKeys"/>).</summary>
public sealed class RedisNodeRegistry(RedisConnection redis, IOptions<PresenceOptions> options) : INodeRegistry
{
    private readonly string _prefix = options.Value.KeyPrefix;
    private readonly RedisPresenceKeys _keys = new(options.Value.KeyPrefix);

    public async Task<bool> HeartbeatAsync(NodeHeartbeat heartbeat, TimeSpan ttl, CancellationToken cancellationToken = default)
    {
        var result = await redis.Database.ScriptEvaluateAsync(RedisPresenceScripts.Heartbeat, values:
        [
            _prefix, heartbeat.NodeId, (long)ttl.TotalMilliseconds, heartbeat.Address, heartbeat.Connections,
            heartbeat.Subscriptions, heartbeat.StartedAt.ToUnixTimeMilliseconds(), heartbeat.Rooms,
            Math.Round(heartbeat.DeliveriesPerSecond, 1).ToString(System.Globalization.CultureInfo.InvariantCulture),
        ]).WaitAsync(cancellationToken);
        return (long)result == 1;
    }

    public Task DeregisterAsync(string nodeId, CancellationToken cancellationToken = default) =>
        redis.Database.ScriptEvaluateAsync(RedisPresenceScripts.Deregister, values: [_prefix, nodeId]).WaitAsync(cancellationToken);

    public async Task<IReadOnlyList<LiveNode>> GetLiveNodesAsync(CancellationToken cancellationToken = default)
    {
        var result = (RedisResult[])(await redis.Database.ScriptEvaluateAsync(RedisPresenceScripts.LiveNodes, values: [_prefix]).WaitAsync(cancellationToken))!;
        var nodes = new List<LiveNode>(result.Length / 2);
        for (var i = 0; i + 1 < result.Length; i += 2)
        {
            var fields = RedisResults.ToDictionary((RedisResult[])result[i + 1]!);
            nodes.Add(new LiveNode(
                (string)result[i]!,
                fields.GetValueOrDefault("address", ""),
                Int(fields, "connections"),
                Int(fields, "subscriptions"),
                Time(fields, "startedAt"),
                Time(fields, "heartbeatAt"),
                Time(fields, "expiresAt"),
                Int(fields, "rooms"),
                double.TryParse(fields.GetValueOrDefault("deliveriesPerSecond"), System.Globalization.NumberStyles.Float,
                    System.Globalization.CultureInfo.InvariantCulture, out var rate) ? rate : 0));
        }

        return nodes.OrderBy(n => n.NodeId, StringComparer.Ordinal).ToList();
    }

    public async Task<IReadOnlyList<string>> ClaimLapsedAsync(int max, CancellationToken cancellationToken = default)
    {
        var result = (RedisResult[])(await redis.Database.ScriptEvaluateAsync(RedisPresenceScripts.ClaimLapsed, values: [_prefix, max]).WaitAsync(cancellationToken))!;
        return result.Select(r => (string)r!).ToList();
    }

    public async Task<IReadOnlyList<string>> GetPendingEvictionsAsync(CancellationToken cancellationToken = default)
    {
        var members = await redis.Database.SetMembersAsync(_keys.Evicting).WaitAsync(cancellationToken);
        return members.Select(m => (string)m!).ToList();
    }

    public Task CompleteEvictionAsync(string nodeId, CancellationToken cancellationToken = default) =>
        redis.Database.SetRemoveAsync(_keys.Evicting, nodeId).WaitAsync(cancellationToken);

    private static int Int(Dictionary<string, string> fields, string name) =>
        fields.TryGetValue(name, out var value) && int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number) ? number : 0;

    private static DateTimeOffset Time(Dictionary<string, string> fields, string name) =>
        fields.TryGetValue(name, out var value) && long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var ms)
            ? DateTimeOffset.FromUnixTimeMilliseconds(ms)
            : DateTimeOffset.UnixEpoch;
}
