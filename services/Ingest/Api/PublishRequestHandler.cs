using Fanout.Contracts.Validation;
using Fanout.Ingest.Auth;
using Fanout.Ingest.Options;
using Fanout.Ingest.Requests;
using Fanout.Ingest.Submission;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Fanout.Ingest.Api;

/// <summary>
/// What every publish route does after its own checks: read and parse the body, validate the events, check that the
/// API key may use their rooms, charge a broadcast's rooms to the key's rate limit, submit them in one call and answer
/// 202 with their ids (or the problem: 400, 403, 413, 415, 429, 503).
/// </summary>
public sealed class PublishRequestHandler(
    RequestBodyReader reader, EventDataRules rules, EventPublisher publisher, IOptions<IngestOptions> options)
{
    private readonly int _retryAfterSeconds = options.Value.RetryAfterSeconds;

    /// <param name="itemName">
    /// Names item <c>i</c> in a 403 for a room the key may not use (<c>events[i].room</c>); null when the route's
    /// room was checked before (single event).
    /// </param>
    /// <param name="chargePerEvent">A broadcast: the key's rate limit is charged one token per event (room).</param>
    public async Task<Results<Accepted<TResponse>, ProblemHttpResult>> HandleAsync<TResponse>(
        HttpContext context, int wrapperDepth, EventsParser parse, Func<IReadOnlyList<Guid>, TResponse> respond,
        Func<int, string>? itemName = null, bool chargePerEvent = false)
    {
        var read = await reader.ReadAsync(context.Request, wrapperDepth, context.RequestAborted);
        if (read.Error is not null)
        {
            return Problems.From(read.Error);
        }

        IReadOnlyList<EventDraft> drafts;
        using (var body = read.Body!)
        {
            if (parse(body.Root, rules, out drafts) is { } error)
            {
                return Problems.From(error);
            }
        }

        if (itemName is not null && RoomAccess.CheckAll(context, drafts, itemName) is { } forbidden)
        {
            return Problems.From(forbidden);
        }

        if (chargePerEvent && ApiKeyRateLimiter.ChargeRooms(context, drafts.Count) is { } throttled)
        {
            return throttled;
        }

        var keyName = context.User.Identity?.Name ?? "unknown";
        var ids = await publisher.PublishAsync(drafts, keyName, context.RequestAborted);
        return ids is null
            ? Problems.BrokerUnavailable(context.Response, _retryAfterSeconds)
            : TypedResults.Accepted((string?)null, respond(ids));
    }
}
