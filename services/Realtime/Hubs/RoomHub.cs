using System.Text.Json;
using Fanout.Contracts;
using Fanout.Contracts.Messages;
using Fanout.Contracts.Validation;
using Fanout.Contracts.Wire;
using Fanout.History;
using Fanout.Messaging;
using Fanout.Realtime.Auth;
using Fanout.Realtime.Metrics;
using Fanout.Realtime.Presence;
using Fanout.Realtime.Rooms;
using Microsoft.AspNetCore.SignalR;

namespace Fanout.Realtime.Hubs;

/// <summary>
/// The client hub at <c>/hubs/rooms</c>. Bad arguments get a <see cref="HubException"/> that says what is wrong;
/// the connection stays open. Its requests are authenticated before they reach it
/// (<see cref="HubRequestAuthentication"/>, not an <c>[Authorize]</c> attribute, whose evaluation a connection would
/// keep for as long as it lasts).
/// </summary>
public sealed partial class RoomHub(
    SubscriptionService subscriptions,
    PresenceQueries presenceQueries,
    IEventSubmitter submitter,
    EventDataRules dataRules,
    IHistoryReader history,
    ILogger<RoomHub> logger)
    : Hub
{
    public override Task OnConnectedAsync()
    {
        if (Context.User?.Identity?.IsAuthenticated != true)
        {
            // A host that maps the hub without its authentication: no anonymous connection, whatever the pipeline.
            throw new HubException("the hub needs an authenticated user (map it with UseRealtimeHubAuthentication)");
        }

        subscriptions.Connected(Context.ConnectionId, Context.User);
        return Task.CompletedTask;
    }

    public override Task OnDisconnectedAsync(Exception? exception) => subscriptions.DisconnectedAsync(Context.ConnectionId);

    /// <summary>
    /// Subscribes to <paramref name="room"/>. With <paramref name="afterSeq"/> null the connection goes live from now;
    /// otherwise it first gets every event with seq &gt; afterSeq from history, then live events, with no gap and no
    /// duplicate. Subscribing again to a room the connection holds replaces that subscription.
    /// </summary>
    public async Task<SubscribeResult> Subscribe(string room, long? afterSeq = null, string? epoch = null)
    {
        HubArguments.Room(nameof(Subscribe), room);
        HubArguments.AfterSeq(nameof(Subscribe), afterSeq);

        // A refused or failed subscribe changes nothing: a subscription it was to replace stays as it was.
        return await subscriptions.SubscribeAsync(Context.ConnectionId, room, afterSeq, epoch, Context.ConnectionAborted);
    }

    /// <summary>Once this returns, no further event of <paramref name="room"/> reaches the connection.</summary>
    public async Task Unsubscribe(string room)
    {
        HubArguments.Room(nameof(Unsubscribe), room);
        await subscriptions.UnsubscribeAsync(Context.ConnectionId, room);
    }

    /// <summary>The members of <paramref name="room"/>, which the connection must be subscribed to.</summary>
    public Task<RoomPresenceResponse> Presence(string room)
    {
        HubArguments.Room(nameof(Presence), room);
        return presenceQueries.MembersAsync(nameof(Presence), Context.ConnectionId, room, Context.ConnectionAborted);
    }

    /// <summary>How many users and connections are in <paramref name="room"/>, which the connection must be subscribed to.</summary>
    public Task<RoomPresenceStatsResponse> PresenceStats(string room)
    {
        HubArguments.Room(nameof(PresenceStats), room);
        return presenceQueries.StatsAsync(nameof(PresenceStats), Context.ConnectionId, room, Context.ConnectionAborted);
    }

    /// <summary>Largest page <see cref="History"/> returns; its default is <see cref="DefaultHistoryLimit"/>.</summary>
    public const int MaxHistoryLimit = 1000;

    /// <summary>The page size of <see cref="History"/> without a limit.</summary>
    public const int DefaultHistoryLimit = 100;

    /// <summary>
    /// A page of <paramref name="room"/>'s stored history, oldest first: at most <paramref name="limit"/> (1–1000, default
    /// 100) events with seq &gt; <paramref name="after"/> (default 0), as <c>GET /v1/rooms/{room}/events</c>. Allowed to
    /// connections whose token may subscribe to the room (checked by <see cref="RoomAccessFilter"/>); no subscription
    /// is needed.
    /// </summary>
    public async Task<RoomHistoryResponse> History(string room, long? after = null, int? limit = null)
    {
        HubArguments.Room(nameof(History), room);
        if (after is < 0)
        {
            throw HubErrors.Create(HubErrors.BadRequest, $"{nameof(History)}: after must be 0 or more (the last seq you have; 0 for the start)");
        }

        if (limit is < 1 or > MaxHistoryLimit)
        {
            throw HubErrors.Create(HubErrors.BadRequest, $"{nameof(History)}: limit must be from 1 to {MaxHistoryLimit}");
        }

        RoomHistoryPage page;
        try
        {
            page = await history.ReadAfterAsync(room, after ?? 0, limit ?? DefaultHistoryLimit, Context.ConnectionAborted);
        }
        catch (System.Data.Common.DbException)
        {
            throw HubErrors.Create(HubErrors.Unavailable, $"{nameof(History)}: history is unavailable right now; retry shortly");
        }

        return new RoomHistoryResponse(room, page.Position.Epoch, page.Position.LastSeq, page.Events);
    }

    /// <summary>
    /// Publishes an event to <paramref name="room"/>; returns once it is durably accepted. With an
    /// <paramref name="idempotencyKey"/> (1–128 printable ASCII, as the HTTP header) the event's id is derived from the
    /// room, the user and the key, so a retry after a lost answer is stored once and answers the same id.
    /// </summary>
    public async Task<PublishResult> Publish(string room, string type, JsonElement data, string? idempotencyKey = null)
    {
        HubArguments.Room(nameof(Publish), room);
        HubArguments.Type(nameof(Publish), type);
        HubArguments.IdempotencyKey(nameof(Publish), idempotencyKey);
        var compact = HubArguments.Data(nameof(Publish), data, dataRules);
        var id = idempotencyKey is null ? EventIds.New() : EventIds.FromClientIdempotencyKey(room, Context.UserIdentifier ?? "", idempotencyKey);
        var submitted = new SubmittedEvent(id, room, type, compact, AcceptTime.Now(TimeProvider.System));
        try
        {
            await submitter.SubmitAsync([submitted], Context.ConnectionAborted);
        }
        catch (SubmissionUnavailableException ex)
        {
            RealtimeLog.PublishRejected(logger, room, ex.Message);
            throw HubErrors.Create(HubErrors.Unavailable, "Publish: the event was not accepted because the broker is unavailable; retry shortly");
        }

        RealtimeMetrics.Published(1);
        RealtimeLog.PublishAccepted(logger, submitted.Id, room, type);
        return new PublishResult(submitted.Id.ToString());
    }
}
