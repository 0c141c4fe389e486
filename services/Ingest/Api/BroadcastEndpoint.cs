using Fanout.Contracts.Wire;
using Fanout.Ingest.Requests;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Fanout.Ingest.Api;

/// <summary>
/// <c>POST /v1/broadcast</c>: the same event to 1–1000 rooms, one fresh id per room; it costs the key one rate-limit
/// token per room (at most its burst).
/// </summary>
public static class BroadcastEndpoint
{
    public static async Task<Results<Accepted<EventIdsResponse>, ProblemHttpResult>> HandleAsync(
        HttpContext context, PublishRequestHandler handler)
    {
        if (IdempotencyHeader.RefuseOn(context.Request, "broadcast events always get fresh ids; use POST /v1/events with an idempotencyKey per event") is { } headerError)
        {
            return Problems.From(headerError);
        }

        return await handler.HandleAsync(
            context, BroadcastParser.WrapperDepth, BroadcastParser.Parse, BatchPublishEndpoint.ToResponse, index => $"rooms[{index}]",
            chargePerEvent: true);
    }
}
