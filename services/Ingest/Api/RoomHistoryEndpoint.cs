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

/// <summary><c>GET /v1/rooms/{room}/events?after=&amp;limit=</c>: a page of the room's stored history, oldest first.</summary>
public static class RoomHistoryEndpoint
{
    public static async Task<Results<Ok<RoomHistoryResponse>, ProblemHttpResult>> HandleAsync(
        string room, HttpContext context, IHistoryReader history, RetentionPolicy retention, IOptions<IngestOptions> options,
        ILoggerFactory loggers)
    {
        if (RoomAccess.CheckRoute(context, room) is { } roomError)
        {
            return Problems.From(roomError);
        }

        if (HistoryQuery.Parse(context.Request.Query, out var after, out var limit) is { } queryError)
        {
            return Problems.From(queryError);
        }

        RoomHistoryPage page;
        try
        {
            page = await history.ReadAfterAsync(room, after, limit, context.RequestAborted);
        }
        catch (DbException ex)
        {
            IngestLog.HistoryUnavailable(loggers.CreateLogger(typeof(RoomHistoryEndpoint)), ex, room);
            return Problems.HistoryUnavailable(context.Response, options.Value.RetryAfterSeconds);
        }

        return TypedResults.Ok(new RoomHistoryResponse(room, page.Position.Epoch, page.Position.LastSeq, page.Events, retention.Describe(room, page.Position)));
    }
}
