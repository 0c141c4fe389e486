using Fanout.Contracts.Validation;
using Fanout.Realtime.Auth;
using Fanout.Realtime.Limits;
using Microsoft.AspNetCore.SignalR;

namespace Fanout.Realtime.Hubs;

/// <summary>
/// Checks every hub call that names a room before the method runs: <c>Subscribe</c>, <c>History</c> and <c>Publish</c>
/// take a token of the connection's rate limit (<c>History</c> the subscribe one), then need the token's permission for
/// the room (<see cref="RoomPermissions"/>; <c>History</c> the permission to subscribe);
/// <c>Subscribe</c> to a room the connection does not hold yet also needs room under its most subscriptions. Connections
/// count against their user's and the node's most connections. A refused call changes nothing. A refusal is a
/// <see cref="HubException"/> (<c>Subscribe: not allowed to subscribe to room 'x'</c>); the connection stays open,
/// except a refused connect, which closes with the reason. A room id that is not valid is left to the method, which
/// refuses it with its own message.
/// </summary>
public sealed class RoomAccessFilter(RoomPermissions permissions, ConnectionLimiter limiter) : IHubFilter
{
    public const string SubscribeMethod = "Subscribe";
    public const string PublishMethod = "Publish";
    public const string HistoryMethod = "History";

    public async ValueTask<object?> InvokeMethodAsync(HubInvocationContext invocationContext,
        Func<HubInvocationContext, ValueTask<object?>> next)
    {
        var method = invocationContext.HubMethodName;
        var context = invocationContext.Context;
        if (invocationContext.HubMethodArguments is not [string room, ..] || RoomId.Validate(room) is not null)
        {
            return await next(invocationContext);
        }

        switch (method)
        {
            case SubscribeMethod:
                limiter.AcquireSubscribe(method, context.ConnectionId);
                Demand(context, RoomAction.Subscribe, method, room);
                limiter.CheckRoom(method, context.ConnectionId, room);
                return await next(invocationContext);

            case HistoryMethod:
                // The permission of Subscribe (who may receive a room's events may read them), and its rate limit.
                limiter.AcquireSubscribe(method, context.ConnectionId);
                Demand(context, RoomAction.Subscribe, method, room);
                return await next(invocationContext);

            case PublishMethod:
                limiter.AcquirePublish(method, context.ConnectionId);
                Demand(context, RoomAction.Publish, method, room);
                return await next(invocationContext);

            default:
                return await next(invocationContext);
        }
    }

    public async Task OnConnectedAsync(HubLifetimeContext context, Func<HubLifetimeContext, Task> next)
    {
        limiter.Connected(context.Context.ConnectionId, context.Context.UserIdentifier ?? "");
        try
        {
            await next(context);
        }
        catch
        {
            limiter.Disconnected(context.Context.ConnectionId);
            throw;
        }
    }

    public async Task OnDisconnectedAsync(HubLifetimeContext context, Exception? exception, Func<HubLifetimeContext, Exception?, Task> next)
    {
        try
        {
            await next(context, exception);
        }
        finally
        {
            limiter.Disconnected(context.Context.ConnectionId);
        }
    }

    private void Demand(HubCallerContext context, RoomAction action, string method, string room)
    {
        if (!permissions.Allows(context.User, action, room))
        {
            var verb = action == RoomAction.Subscribe ? "subscribe" : "publish";
            throw HubErrors.Create(HubErrors.PermissionDenied, $"{method}: not allowed to {verb} to room '{room}'");
        }
    }
}
