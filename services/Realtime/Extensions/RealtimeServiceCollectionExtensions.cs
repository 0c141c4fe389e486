using Fanout.Contracts.Validation;
using Fanout.History;
using Fanout.Messaging;
using Fanout.Realtime.Auth;
using Fanout.Realtime.Connections;
using Fanout.Realtime.Hubs;
using Fanout.Realtime.Lifecycle;
using Fanout.Realtime.Memory;
using Fanout.Realtime.Metrics;
using Fanout.Realtime.Options;
using Fanout.Realtime.Presence;
using Fanout.Realtime.Protocol;
using Fanout.Realtime.Rooms;
using Fanout.Realtime.Routing;
using Fanout.ServiceDefaults;
using Microsoft.Extensions.Options;

namespace Fanout.Realtime.Extensions;

public static class RealtimeServiceCollectionExtensions
{
    public const string HubPath = "/hubs/rooms";

    public static IHostApplicationBuilder AddRealtimeServices(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddValidatedOptions<RealtimeOptions>(RealtimeOptions.SectionName);
        services.AddFanoutMessaging(builder.Configuration, "realtime");
        services.AddPartitionCountGuard();
        services.AddFanoutHistory(builder.Configuration);
        services.AddRealtimeAuthentication(builder.Configuration);
        services.AddRealtimeAccess(builder.Configuration);

        services.AddEventDataRules();
        services.AddSignalR().AddFanoutHubProtocol(EventDataRulesFrom(builder.Configuration));
        services.AddConnectionOutboxes();

        services.AddSingleton<IRoomSender, HubRoomSender>();
        services.AddValidatedOptions<RecoveryOptions>(RecoveryOptions.SectionName);
        services.AddSingleton<RoomEventCache>();
        services.AddSingleton<RoomRegistry>();
        services.AddSingleton<SubscriptionService>();
        services.AddSingleton<RabbitMqRoomBindings>();
        services.AddSingleton<IRoomBindings>(sp => sp.GetRequiredService<RabbitMqRoomBindings>());
        services.AddHostedService<RabbitMqNodeInbox>();
        services.AddHostedService<PositionCheckService>();
        services.AddNodePresence(builder.Configuration);
        services.AddRealtimeMetrics();
        services.AddNodeDrain();
        services.AddValidatedOptions<MemoryTrimOptions>(MemoryTrimOptions.SectionName);
        services.AddHostedService<MemoryTrimService>();
        return builder;
    }

    /// <summary>The data limits as configured, for the hub protocol's size cap (validated again at start with the options).</summary>
    private static EventDataRules EventDataRulesFrom(IConfiguration configuration)
    {
        var limits = configuration.GetSection(EventLimitsOptions.SectionName).Get<EventLimitsOptions>() ?? new EventLimitsOptions();
        return new EventDataRules(limits.MaxDataBytes, limits.MaxDataDepth);
    }

    public static WebApplication MapRealtimeEndpoints(this WebApplication app)
    {
        app.UseMiddleware<DrainingGate>();
        app.UseRealtimeCors();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapHub<RoomHub>(HubPath);
        return app;
    }
}
