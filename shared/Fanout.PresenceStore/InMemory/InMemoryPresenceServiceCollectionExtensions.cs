using Fanout.ServiceDefaults;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Fanout.PresenceStore.InMemory;

public static class InMemoryPresenceServiceCollectionExtensions
{
    /// <summary>
    /// The presence store and node registry in this process's memory (section <c>Presence</c>), for the embedded mode
    /// where one process is the only node: the same guarantees as the Redis store (the spec suite runs against both),
    /// nothing outside the process, nothing kept across a restart (every connection is new then anyway).
    /// </summary>
    public static IServiceCollection AddInMemoryPresence(this IServiceCollection services)
    {
        services.AddValidatedOptions<PresenceOptions>(PresenceOptions.SectionName);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(sp => new InMemoryPresenceState(
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<IOptions<PresenceOptions>>().Value.MaxPendingTransitions));
        services.AddSingleton<IPresenceStore, InMemoryPresenceStore>();
        services.AddSingleton<INodeRegistry, InMemoryNodeRegistry>();
        services.AddSingleton<ILeaderLease, InMemoryLeaderLease>();
        return services;
    }
}
