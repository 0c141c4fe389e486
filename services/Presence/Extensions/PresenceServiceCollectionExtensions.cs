using Fanout.Messaging;
using Fanout.Presence.Metrics;
using Fanout.Presence.Options;
using Fanout.Presence.Relay;
using Fanout.Presence.Sweeping;
using Fanout.PresenceStore;
using Fanout.ServiceDefaults;
using Fanout.ServiceDefaults.Metrics;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Fanout.Presence.Extensions;

public static class PresenceServiceCollectionExtensions
{
    /// <summary>
    /// The Redis presence store (required: the service is not ready without it), the control plane for
    /// <c>NodeDown</c>, the dead-node sweeper and the join/leave relay.
    /// </summary>
    public static IHostApplicationBuilder AddPresenceServices(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddRedisPresence(builder.Configuration, HealthStatus.Unhealthy);
        services.AddFanoutMessaging(builder.Configuration, $"fanout-presence {Environment.MachineName} {Environment.ProcessId}");
        services.AddFanoutControlPlane(builder.Configuration);
        services.AddSingleton<NodeHeartbeatMonitor>();
        services.AddHostedService(sp => sp.GetRequiredService<NodeHeartbeatMonitor>());
        services.AddMetricsSource<PresenceMetrics>();
        services.AddHostedService<NodeSweeper>();
        services.AddPresenceRelay<RabbitMqPresencePublisher>();
        return builder;
    }

    /// <summary>
    /// The join/leave relay (<see cref="PresenceRelay"/>, section <c>PresenceService</c>) over the presence store the host
    /// registered, sending through <typeparamref name="TPublisher"/>: RabbitMQ to the rooms' nodes in the distributed
    /// mode, straight to the hub in the embedded mode.
    /// </summary>
    public static IServiceCollection AddPresenceRelay<TPublisher>(this IServiceCollection services)
        where TPublisher : class, IPresencePublisher
    {
        services.AddValidatedOptions<PresenceServiceOptions>(PresenceServiceOptions.SectionName);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<JoinLeavePolicy>();
        services.AddSingleton<IPresencePublisher, TPublisher>();
        services.AddHostedService<PresenceRelay>();
        return services;
    }
}
