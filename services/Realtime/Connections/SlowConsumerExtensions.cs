using Fanout.ServiceDefaults;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Fanout.Realtime.Connections;

public static class SlowConsumerExtensions
{
    /// <summary>Gives every hub connection a bounded outgoing queue (<see cref="OutboxHubLifetimeManager{THub}"/>).</summary>
    public static IServiceCollection AddConnectionOutboxes(this IServiceCollection services)
    {
        services.AddValidatedOptions<SlowConsumerOptions>(SlowConsumerOptions.SectionName);
        services.AddValidatedOptions<Memory.MemoryBudgetOptions>(Memory.MemoryBudgetOptions.SectionName);
        services.TryAddSingleton<Memory.OutboxBudget>();
        services.TryAddSingleton<NodeConnections>();
        services.Replace(ServiceDescriptor.Singleton(typeof(HubLifetimeManager<>), typeof(OutboxHubLifetimeManager<>)));
        return services;
    }
}
