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
        services.AddValidatedOptions<PresenceServiceOptions>(PresenceServiceOptions.SectionName);
        services.AddRedisPresence(builder.Configuration, HealthStatus.Unhealthy);
        services.AddFanoutMessaging(builder.Configuration, $"fanout-presence {Environment.MachineName} {Environment.ProcessId}");
        services.AddFanoutControlPlane(builder.Configuration);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<JoinLeavePolicy>();
        services.AddSingleton<IPresencePublisher, RabbitMqPresencePublisher>();
        services.AddSingleton<NodeHeartbeatMonitor>();
        services.AddHostedService(sp => sp.GetRequiredService<NodeHeartbeatMonitor>());
        services.AddMetricsSource<PresenceMetrics>();
        services.AddHostedService<NodeSweeper>();
        services.AddHostedService<PresenceRelay>();
        return builder;
    }
}
