using Fanout.Contracts.Wire;
using Fanout.Ingest.Requests;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Fanout.Ingest.Api;

/// <summary><c>POST /v1/events</c>: 1–500 events to any rooms, all or nothing, ids in request order.</summary>
public static class BatchPublishEndpoint
{
    public static async Task<Results<Accepted<EventIdsResponse>, ProblemHttpResult>> HandleAsync(
        HttpContext context, PublishRequestHandler handler)
    {
        if (IdempotencyHeader.RefuseOn(context.Request, "give each event its own idempotencyKey") is { } headerError)
        {
            return Problems.From(headerError);
        }

        return await handler.HandleAsync(
            context, BatchPublishParser.WrapperDepth, BatchPublishParser.Parse, ToResponse, index => $"events[{index}].room");
    }

    internal static EventIdsResponse ToResponse(IReadOnlyList<Guid> ids) => new(ids.Select(id => id.ToString()).ToList());
}
