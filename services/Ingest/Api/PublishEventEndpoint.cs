using System.Text.Json;
using Fanout.Contracts.Validation;
using Fanout.Contracts.Wire;
using Fanout.Ingest.Auth;
using Fanout.Ingest.Requests;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Fanout.Ingest.Api;

/// <summary><c>POST /v1/rooms/{room}/events</c>: one event, optionally with an <c>Idempotency-Key</c> header.</summary>
public static class PublishEventEndpoint
{
    public static async Task<Results<Accepted<PublishEventResponse>, ProblemHttpResult>> HandleAsync(
        string room, HttpContext context, PublishRequestHandler handler)
    {
        if (RoomAccess.CheckRoute(context, room) is { } roomError)
        {
            return Problems.From(roomError);
        }

        if (IdempotencyHeader.Read(context.Request, out var key) is { } keyError)
        {
            return Problems.From(keyError);
        }

        return await handler.HandleAsync(
            context,
            PublishEventParser.WrapperDepth,
            (JsonElement root, EventDataRules rules, out IReadOnlyList<EventDraft> drafts) =>
            {
                var error = PublishEventParser.Parse(root, room, key, rules, out var draft);
                drafts = draft is null ? [] : [draft];
                return error;
            },
            ids => new PublishEventResponse(ids[0].ToString(), room));
    }
}
