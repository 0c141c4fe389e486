using Fanout.Contracts.Validation;
using Fanout.History;
using Fanout.Messaging;
using Fanout.Realtime.Auth;
using Fanout.Realtime.Hubs;
using Fanout.Realtime.Options;
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
        services.AddFanoutHistory(builder.Configuration);
        services.AddRealtimeAuthentication(builder.Configuration);

        var dataRules = EventDataRules.Default;
        services.AddSingleton(dataRules);
        services.AddSignalR().AddFanoutHubProtocol(dataRules);

        services.AddSingleton<IRoomSender, HubRoomSender>();
        services.AddSingleton<RoomRegistry>();
        services.AddSingleton<SubscriptionService>();
        services.AddSingleton<RabbitMqRoomBindings>();
        services.AddSingleton<IRoomBindings>(sp => sp.GetRequiredService<RabbitMqRoomBindings>());
        services.AddHostedService<RabbitMqNodeInbox>();
        services.AddHostedService<PositionCheckService>();
        return builder;
    }

    public static WebApplication MapRealtimeEndpoints(this WebApplication app)
    {
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapHub<RoomHub>(HubPath);
        return app;
    }
}
