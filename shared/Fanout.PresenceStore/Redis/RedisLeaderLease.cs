using Microsoft.Extensions.Options;

namespace Fanout.PresenceStore.Redis;

/// <summary><see cref="ILeaderLease"/> as a Redis key <c>{p}lease:{name}</c> holding the owner, with a TTL.</summary>
public sealed class RedisLeaderLease(RedisConnection redis, IOptions<PresenceOptions> options) : ILeaderLease
{
    private const string Hold = """
        local current = redis.call('GET', KEYS[1])
        if current == false or current == ARGV[1] then
          redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
          return 1
        end
        return 0
        """;

    private const string Release = """
        if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
        return 0
        """;

    private readonly string _prefix = options.Value.KeyPrefix;

    public async Task<bool> TryHoldAsync(string name, string owner, TimeSpan ttl, CancellationToken cancellationToken = default) =>
        (long)await redis.Database.ScriptEvaluateAsync(Hold, [_prefix + "lease:" + name], [owner, (long)ttl.TotalMilliseconds]).WaitAsync(cancellationToken) == 1;

    public Task ReleaseAsync(string name, string owner, CancellationToken cancellationToken = default) =>
        redis.Database.ScriptEvaluateAsync(Release, [_prefix + "lease:" + name], [owner]).WaitAsync(cancellationToken);
}
