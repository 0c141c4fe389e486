using Fanout.Realtime.Connections;
using Fanout.ServiceDefaults;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Fanout.Realtime.Lifecycle;

public static class NodeDrainServiceCollectionExtensions
{
    /// <summary>
    /// Graceful stop (<see cref="NodeDrainer"/>): its readiness check, the gate that refuses new connections while
    /// draining, and a host shutdown timeout long enough for the drain.
    /// </summary>
    public static IServiceCollection AddNodeDrain(this IServiceCollection services)
    {
        services.AddValidatedOptions<DrainOptions>(DrainOptions.SectionName);
        services.AddSingleton<DrainState>();
        services.AddConnectionOutboxes();
        services.AddHealthChecks().AddCheck<DrainHealthCheck>("drain", tags: [ServiceDefaultsExtensions.ReadyTag]);
        services.AddOptions<HostOptions>().Configure<IOptions<DrainOptions>>((host, drain) =>
        {
            // The drain, then the other services' own stop (presence deregistration, broker channels).
            var needed = TimeSpan.FromMilliseconds(drain.Value.TimeoutMs) + TimeSpan.FromSeconds(10);
            if (host.ShutdownTimeout < needed)
            {
                host.ShutdownTimeout = needed;
            }
        });
        services.AddHostedService<NodeDrainer>();
        return services;
    }
}
