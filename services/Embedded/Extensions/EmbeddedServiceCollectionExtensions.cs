using Fanout.Embedded.Development;
using Fanout.Embedded.Presence;
using Fanout.Embedded.Sequencing;
using Fanout.History;
using Fanout.History.Sqlite;
using Fanout.Ingest.Api;
using Fanout.Ingest.Auth;
using Fanout.Ingest.Extensions;
using Fanout.Messaging;
using Fanout.Presence.Extensions;
using Fanout.PresenceStore.InMemory;
using Fanout.Realtime.Auth;
using Fanout.Realtime.Extensions;
using Fanout.Realtime.Routing;
using Fanout.Sequencer.Routing;
using Fanout.ServiceDefaults;

namespace Fanout.Embedded.Extensions;

public static class EmbeddedServiceCollectionExtensions
{
    /// <summary>The scheme that picks, per request, the API key (the <c>/v1</c> API) or the client token (the hub).</summary>
    public const string AuthenticationScheme = "Fanout";

    /// <summary>
    /// Every part of Fanout in this process, on the same seams as the distributed mode: the HTTP API (Ingest's code) and
    /// the hub (the realtime node's code) over the in-process sequencer as submitter, history in the SQLite database
    /// opened by the caller, presence in memory with the join/leave relay (the presence service's code), and the rooms
    /// fed straight from the sequencer's commits.
    /// </summary>
    public static IHostApplicationBuilder AddEmbeddedServices(this IHostApplicationBuilder builder, SqliteHistoryDatabase database)
    {
        var services = builder.Services;
        services.AddSqliteHistory(database);
        services.AddInMemoryPresence();
        builder.AddIngestApi();
        builder.AddRealtimeNode();

        services.AddSingleton<IRoomBindings, InProcessRoomBindings>();
        services.AddSingleton<InProcessNodeInbox>();
        services.AddSingleton<IRoomEventRouter, InProcessRoomEventRouter>();
        services.AddValidatedOptions<InProcessSequencerOptions>(InProcessSequencerOptions.SectionName);
        services.AddSingleton<InProcessSequencer>();
        services.AddSingleton<IEventSubmitter>(sp => sp.GetRequiredService<InProcessSequencer>());
        services.AddHostedService(sp => sp.GetRequiredService<InProcessSequencer>());
        services.AddHistoryRetention();
        services.AddPresenceRelay<InProcessPresencePublisher>();

        // One process, two kinds of caller: backends with an API key on /v1, clients with a token on the hub.
        services.AddAuthentication(options => options.DefaultScheme = AuthenticationScheme)
            .AddPolicyScheme(AuthenticationScheme, displayName: null, options => options.ForwardDefaultSelector = context =>
                context.Request.Path.StartsWithSegments("/v1") ? ApiKeyDefaults.Scheme : RealtimeAuthenticationDefaults.Scheme);

        if (builder.Environment.IsDevelopment())
        {
            services.AddHostedService<DevelopmentBanner>();
        }

        return builder;
    }

    /// <summary>
    /// The middleware, outermost first: the node's drain gate (new hub connections get 503 while stopping), CORS for the
    /// configured browser origins, then Ingest's pipeline for everything but the hub (problem answers, routing,
    /// authentication, authorization, the per-key rate limit) and only the access-token check and routing for the hub:
    /// a hub request lives as long as its connection, and whatever a middleware leaves on it (features, handlers,
    /// tickets, a rate-limit lease) is kept that long, for every connection.
    /// </summary>
    public static WebApplication UseEmbeddedPipeline(this WebApplication app)
    {
        app.UseRealtimeDrainGate();
        app.UseRealtimeCors();
        app.UseRealtimeHubAuthentication();
        app.UseWhen(context => !IsHub(context), api => api.UseExceptionHandler().UseStatusCodePages(StatusCodeProblems.WriteAsync));
        app.UseRouting();
        app.UseAuthenticationExceptOnTheHub(api => api.UseRateLimiter());
        return app;
    }

    private static bool IsHub(HttpContext context) => RealtimeServiceCollectionExtensions.IsHubRequest(context);

    /// <summary>The <c>/v1</c> API and the hub at <c>/hubs/rooms</c>.</summary>
    public static WebApplication MapEmbeddedEndpoints(this WebApplication app)
    {
        app.MapIngestApi();
        app.MapRealtimeHub();
        return app;
    }
}
