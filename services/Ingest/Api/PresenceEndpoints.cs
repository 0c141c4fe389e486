using Fanout.Contracts.Wire;
using Fanout.Ingest.Auth;
using Fanout.Ingest.Options;
using Fanout.Ingest.Requests;
using Fanout.PresenceStore;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Fanout.Ingest.Api;

/// <summary>
/// Presence for backends, on the same base URL and API keys as publishing: <c>GET /v1/rooms/{room}/presence</c>,
/// <c>GET /v1/rooms/{room}/presence/stats</c> and <c>GET /v1/nodes</c>, read from the presence store (Redis). While
/// it is unreachable they answer <c>503</c> with <c>Retry-After</c>.
/// </summary>
public static class PresenceEndpoints
{
    public static Task<Results<Ok<RoomPresenceResponse>, ProblemHttpResult>> MembersAsync(
        string room, HttpContext context, IPresenceStore store, IOptions<IngestOptions> options, ILoggerFactory loggers) =>
        ReadAsync(room, context, options, loggers, async () =>
        {
            var members = await store.GetMembersAsync(room, context.RequestAborted);
            return new RoomPresenceResponse(room, members.Count,
                members.Select(m => new PresenceMemberResponse(m.UserId, m.Connections, m.JoinedAt, m.Name)).ToList());
        });

    public static Task<Results<Ok<RoomPresenceStatsResponse>, ProblemHttpResult>> StatsAsync(
        string room, HttpContext context, IPresenceStore store, IOptions<IngestOptions> options, ILoggerFactory loggers) =>
        ReadAsync(room, context, options, loggers, async () =>
        {
            var stats = await store.GetStatsAsync(room, context.RequestAborted);
            return new RoomPresenceStatsResponse(room, stats.Users, stats.Connections);
        });

    public static Task<Results<Ok<NodesResponse>, ProblemHttpResult>> NodesAsync(
        HttpContext context, INodeRegistry registry, IOptions<IngestOptions> options, ILoggerFactory loggers) =>
        ReadAsync(room: null, context, options, loggers, async () =>
        {
            var nodes = await registry.GetLiveNodesAsync(context.RequestAborted);
            return new NodesResponse(nodes
                .Select(n => new NodeResponse(n.NodeId, n.Address, n.Connections, n.Subscriptions, n.StartedAt, n.LastHeartbeatAt, n.Rooms, n.DeliveriesPerSecond))
                .ToList());
        });

    /// <summary>Validates <paramref name="room"/> (when the route has one), then reads; an unreachable store is a 503.</summary>
    private static async Task<Results<Ok<T>, ProblemHttpResult>> ReadAsync<T>(
        string? room, HttpContext context, IOptions<IngestOptions> options, ILoggerFactory loggers, Func<Task<T>> read)
    {
        if (room is not null && RoomAccess.CheckRoute(context, room) is { } roomError)
        {
            return Problems.From(roomError);
        }

        try
        {
            return TypedResults.Ok(await read());
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            IngestLog.PresenceUnavailable(loggers.CreateLogger(typeof(PresenceEndpoints)), ex, context.Request.Path);
            return Problems.Unavailable(context.Response, options.Value.RetryAfterSeconds,
                "Presence is unavailable right now (its store cannot be reached); retry the same request.");
        }
    }
}
