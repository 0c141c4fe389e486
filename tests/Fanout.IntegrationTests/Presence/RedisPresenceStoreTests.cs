using Fanout.PresenceStore;
using Fanout.PresenceStore.Redis;
using Fanout.Testing.Servers;
using Microsoft.Extensions.Logging.Abstractions;

namespace Fanout.IntegrationTests.Presence;

/// <summary>The presence spec against the real Redis test server, each test under a key prefix of its own.</summary>
public sealed class RedisPresenceStoreTests : PresenceStoreSpec, IDisposable
{
    private readonly RedisConnection _redis = new(TestServers.Redis, NullLogger<RedisConnection>.Instance);

    protected override Stores Create(int maxTransitions = 100_000)
    {
        var options = Microsoft.Extensions.Options.Options.Create(new PresenceOptions
        {
            KeyPrefix = $"spec-{Guid.NewGuid():N}:",
            MaxPendingTransitions = maxTransitions,
        });
        return new Stores(new RedisNodeRegistry(_redis, options), new RedisPresenceStore(_redis, options), new RedisLeaderLease(_redis, options));
    }

    public void Dispose() => _redis.Dispose();
}
