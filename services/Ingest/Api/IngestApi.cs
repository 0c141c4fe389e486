using Fanout.Ingest.Auth;

namespace Fanout.Ingest.Api;

public static class IngestApi
{
    /// <summary>
    /// The publish, history and presence routes under <c>/v1</c>; every one needs an API key, room routes a key allowed
    /// the room (<see cref="RoomAccess"/>), <c>/v1/nodes</c> a key allowed every room.
    /// </summary>
    public static IEndpointRouteBuilder MapIngestApi(this IEndpointRouteBuilder app)
    {
        var v1 = app.MapGroup("/v1").RequireAuthorization(ApiKeyPolicies.ApiKeyName);
        v1.MapPost("/rooms/{room}/events", PublishEventEndpoint.HandleAsync);
        v1.MapGet("/rooms/{room}/events", RoomHistoryEndpoint.HandleAsync);
        v1.MapDelete("/rooms/{room}/events", RoomResetEndpoint.HandleAsync);
        v1.MapPost("/events", BatchPublishEndpoint.HandleAsync);
        v1.MapPost("/broadcast", BroadcastEndpoint.HandleAsync);
        v1.MapGet("/rooms/{room}/presence", PresenceEndpoints.MembersAsync);
        v1.MapGet("/rooms/{room}/presence/stats", PresenceEndpoints.StatsAsync);
        v1.MapGet("/nodes", PresenceEndpoints.NodesAsync).RequireAuthorization(ApiKeyPolicies.EveryRoomName);
        return app;
    }
}
