using Fanout.ServiceDefaults;

namespace Fanout.Realtime.Presence;

public static class NodePresenceServiceCollectionExtensions
{
    /// <summary>
    /// Presence on a realtime node: the node's tracker and its sync loop into the presence store (which the host
    /// registers: Redis in the distributed mode, in memory in the embedded mode), the hub's presence queries and the
    /// join/leave broadcaster.
    /// </summary>
    public static IServiceCollection AddNodePresence(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<NodePresenceOptions>(NodePresenceOptions.SectionName);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<NodePresenceTracker>();
        services.AddSingleton<PresenceQueries>();
        services.AddSingleton<PresenceBroadcaster>();
        services.AddHostedService<NodePresenceSync>();
        return services;
    }
}
