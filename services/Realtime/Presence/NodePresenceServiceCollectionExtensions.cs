using Fanout.PresenceStore;
using Fanout.ServiceDefaults;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Fanout.Realtime.Presence;

public static class NodePresenceServiceCollectionExtensions
{
    /// <summary>
    /// Presence on a realtime node: the Redis store (a Redis outage only degrades readiness: delivery does not depend on
    /// it), the node's tracker and its sync loop, the hub's presence queries and the join/leave broadcaster.
    /// </summary>
    public static IServiceCollection AddNodePresence(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddRedisPresence(configuration, HealthStatus.Degraded);
        services.AddValidatedOptions<NodePresenceOptions>(NodePresenceOptions.SectionName);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<NodePresenceTracker>();
        services.AddSingleton<PresenceQueries>();
        services.AddSingleton<PresenceBroadcaster>();
        services.AddHostedService<NodePresenceSync>();
        return services;
    }
}
