using Fanout.PresenceStore.Redis;
using Fanout.ServiceDefaults;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;

namespace Fanout.PresenceStore;

public static class PresenceStoreServiceCollectionExtensions
{
    /// <summary>
    /// The Redis presence store and node registry (<c>ConnectionStrings:redis</c>, section <c>Presence</c>) and a
    /// readiness check that reports <paramref name="failureStatus"/> while Redis is unreachable.
    /// </summary>
    public static IServiceCollection AddRedisPresence(this IServiceCollection services, IConfiguration configuration, HealthStatus failureStatus)
    {
        var connectionString = ConnectionStrings.Require(configuration, ConnectionStrings.Redis);
        services.AddValidatedOptions<PresenceOptions>(PresenceOptions.SectionName);
        services.AddSingleton(sp => new RedisConnection(connectionString, sp.GetRequiredService<ILogger<RedisConnection>>()));
        services.AddSingleton<IPresenceStore, RedisPresenceStore>();
        services.AddSingleton<INodeRegistry, RedisNodeRegistry>();
        services.AddSingleton<ILeaderLease, RedisLeaderLease>();
        services.AddHealthChecks().AddCheck<RedisHealthCheck>("redis", failureStatus, [ServiceDefaultsExtensions.ReadyTag]);
        return services;
    }
}
