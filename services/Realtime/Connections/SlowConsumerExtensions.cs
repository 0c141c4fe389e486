using Fanout.ServiceDefaults;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Fanout.Realtime.Connections;

public static class SlowConsumerExtensions
{
    /// <summary>
    /// Gives every hub connection its record (<see cref="NodeConnections"/>) with a bounded outgoing queue
    /// (<see cref="OutboxHubLifetimeManager{THub}"/>). Once only, however often it is called.
    /// </summary>
    public static IServiceCollection AddConnectionOutboxes(this IServiceCollection services)
    {
        if (services.Any(service => service.ServiceType == typeof(NodeConnections)))
        {
            return services;
        }

        services.AddValidatedOptions<SlowConsumerOptions>(SlowConsumerOptions.SectionName);
        services.AddValidatedOptions<Memory.MemoryBudgetOptions>(Memory.MemoryBudgetOptions.SectionName);
        services.TryAddSingleton<Memory.OutboxBudget>();
        services.AddSingleton<NodeConnections>();
        services.Replace(ServiceDescriptor.Singleton(typeof(HubLifetimeManager<>), typeof(OutboxHubLifetimeManager<>)));
        return services;
    }
}
