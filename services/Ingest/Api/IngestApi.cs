namespace Fanout.Ingest.Api;

public static class IngestApi
{
    /// <summary>The publish and history routes under <c>/v1</c>; every one needs an API key.</summary>
    public static IEndpointRouteBuilder MapIngestApi(this IEndpointRouteBuilder app)
    {
        var v1 = app.MapGroup("/v1").RequireAuthorization();
        v1.MapPost("/rooms/{room}/events", PublishEventEndpoint.HandleAsync);
        v1.MapGet("/rooms/{room}/events", RoomHistoryEndpoint.HandleAsync);
        v1.MapPost("/events", BatchPublishEndpoint.HandleAsync);
        v1.MapPost("/broadcast", BroadcastEndpoint.HandleAsync);
        return app;
    }
}
