using Fanout.Contracts.Validation;
using Fanout.History;
using Fanout.Messaging;
using Fanout.PresenceStore;
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
using Fanout.ServiceDefaults.Security;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Fanout.Realtime.Extensions;

public static class RealtimeServiceCollectionExtensions
{
    public const string HubPath = "/hubs/rooms";

    /// <summary>
    /// A realtime node of the distributed mode: history in PostgreSQL, routed events from RabbitMQ (the node's queue,
    /// bound per room), presence in Redis (an outage only degrades readiness: delivery does not depend on it).
    /// </summary>
    public static IHostApplicationBuilder AddRealtimeServices(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddFanoutMessaging(builder.Configuration, "realtime");
        services.AddPartitionCountGuard();
        services.AddFanoutHistory(builder.Configuration);
        services.AddRedisPresence(builder.Configuration, HealthStatus.Degraded);
        builder.AddRealtimeNode();
        services.AddSingleton<RabbitMqRoomBindings>();
        services.AddSingleton<IRoomBindings>(sp => sp.GetRequiredService<RabbitMqRoomBindings>());
        services.AddHostedService<RabbitMqNodeInbox>();
        return builder;
    }

    /// <summary>
    /// The node itself, whatever carries its events: the hub, client authentication and access, rooms with replay and
    /// gap filling, node presence, metrics, drain and memory trim. The host registers the seams it runs on: the history
    /// store (<see cref="IHistoryReader"/>), the submitter (<see cref="IEventSubmitter"/>), the room bindings
    /// (<see cref="IRoomBindings"/>) with whatever feeds <see cref="RoomRegistry.Dispatch"/>, and the presence store.
    /// </summary>
    public static IHostApplicationBuilder AddRealtimeNode(this IHostApplicationBuilder builder)
    {
        builder.RefuseInsecureSettings(apiKeys: false, signingKey: true);
        var services = builder.Services;
        services.AddValidatedOptions<RealtimeOptions>(RealtimeOptions.SectionName);
        services.AddRealtimeAuthentication(builder.Configuration);
        services.AddRealtimeAccess(builder.Configuration);

        services.AddEventDataRules();
        services.AddSignalR().AddFanoutHubProtocol(EventDataRulesFrom(builder.Configuration));
        services.AddConnectionOutboxes();

        services.AddSingleton<IRoomSender, HubRoomSender>();
        services.AddValidatedOptions<RecoveryOptions>(RecoveryOptions.SectionName);
        services.AddSingleton<InboundBudget>();
        services.AddSingleton<RoomEventCache>();
        services.AddSingleton<RoomContext>();
        services.AddSingleton<RoomRegistry>();
        services.AddSingleton<SubscriptionService>();
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
        app.UseRealtimeDrainGate();
        app.UseRealtimeCors();
        app.UseRealtimeHubAuthentication();
        app.UseAuthenticationExceptOnTheHub(other => other);
        app.MapRealtimeHub();
        return app;
    }

    /// <summary>
    /// The hub's requests are authenticated by their access token here (<see cref="HubRequestAuthentication"/>: 401
    /// without a valid one), not by the authentication middleware, whose objects a WebSocket request would keep for
    /// as long as its connection lasts. Call after CORS (preflights need no token) and keep the authentication and
    /// authorization middleware off the hub's path (<see cref="IsHubRequest"/>): the hub's endpoint carries no
    /// authorization metadata, so a fallback policy (Ingest's API key, in the embedded mode) would apply to it.
    /// </summary>
    public static IApplicationBuilder UseRealtimeHubAuthentication(this IApplicationBuilder app) =>
        app.UseWhen(IsHubRequest, hub => hub.UseMiddleware<HubRequestAuthentication>());

    /// <summary>
    /// Authentication and authorization (then <paramref name="more"/>) for every request but the hub's, which
    /// <see cref="UseRealtimeHubAuthentication"/> authenticates. WebApplication adds both middleware to the start of the
    /// pipeline for every request when the app has not called them itself, and calls inside a branch do not count, so
    /// this records on the app that it has (the keys <c>UseAuthentication</c> and <c>UseAuthorization</c> set; if they
    /// changed, <c>ClientAuthenticationTests.AHubConnectionsRequestKeepsNothingOfTheAuthenticationMiddleware</c> fails,
    /// and in the embedded mode Ingest's fallback policy would refuse every hub connection).
    /// </summary>
    public static IApplicationBuilder UseAuthenticationExceptOnTheHub(this IApplicationBuilder app, Func<IApplicationBuilder, IApplicationBuilder> more)
    {
        app.UseWhen(context => !IsHubRequest(context), other => more(other.UseAuthentication().UseAuthorization()));
        app.Properties[AuthenticationMiddlewareSetKey] = true;
        app.Properties[AuthorizationMiddlewareSetKey] = true;
        return app;
    }

    private const string AuthenticationMiddlewareSetKey = "__AuthenticationMiddlewareSet";
    private const string AuthorizationMiddlewareSetKey = "__AuthorizationMiddlewareSet";

    /// <summary>A request of the client hub: negotiate and every transport's requests, under <see cref="HubPath"/>.</summary>
    public static bool IsHubRequest(HttpContext context) => context.Request.Path.StartsWithSegments(HubPath);

    /// <summary>While the node drains, new hub requests get 503 (<see cref="DrainingGate"/>).</summary>
    public static IApplicationBuilder UseRealtimeDrainGate(this IApplicationBuilder app) => app.UseMiddleware<DrainingGate>();

    /// <summary>The client hub at <see cref="HubPath"/>.</summary>
    public static IEndpointRouteBuilder MapRealtimeHub(this IEndpointRouteBuilder app)
    {
        app.MapHub<RoomHub>(HubPath);
        return app;
    }
}
