using System.Data.Common;
using Fanout.Contracts.Wire;
using Fanout.History;
using Fanout.History.Retention;
using Fanout.Ingest.Auth;
using Fanout.Ingest.Options;
using Fanout.Ingest.Requests;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Fanout.Ingest.Api;

/// <summary>
/// <c>DELETE /v1/rooms/{room}/events</c>: deletes the room's history. The room gets a new epoch and its seqs continue
/// (the next event gets <c>lastSeq + 1</c>); answers the room's history as <c>GET</c> would right after: the new epoch,
/// the unchanged <c>lastSeq</c>, no events. Clients that reconnect with the old epoch get <c>recovered: false</c>
/// (<c>epochChanged</c>). Needs a key allowed the room and destructive operations (<see cref="DestructiveAccess"/>).
/// </summary>
public static class RoomResetEndpoint
{
    public static async Task<Results<Ok<RoomHistoryResponse>, ProblemHttpResult>> HandleAsync(
        string room, HttpContext context, IHistoryReset history, RetentionPolicy retention, IOptions<IngestOptions> options,
        ILoggerFactory loggers)
    {
        if ((RoomAccess.CheckRoute(context, room) ?? DestructiveAccess.Check(context, "delete a room's history")) is { } accessError)
        {
            return Problems.From(accessError);
        }

        RoomPosition position;
        try
        {
            position = await history.ResetAsync(room, context.RequestAborted);
        }
        catch (DbException ex)
        {
            IngestLog.HistoryUnavailable(loggers.CreateLogger(typeof(RoomResetEndpoint)), ex, room);
            return Problems.HistoryUnavailable(context.Response, options.Value.RetryAfterSeconds);
        }

        return TypedResults.Ok(new RoomHistoryResponse(room, position.Epoch, position.LastSeq, [], retention.Describe(room, position)));
    }
}
