using System.Text.Json;
using Fanout.Contracts;
using Fanout.Contracts.Messages;
using Fanout.Contracts.Validation;
using Fanout.Contracts.Wire;
using Fanout.Messaging;
using Fanout.Realtime.Auth;
using Fanout.Realtime.Metrics;
using Fanout.Realtime.Presence;
using Fanout.Realtime.Rooms;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;

namespace Fanout.Realtime.Hubs;

/// <summary>
/// The client hub at <c>/hubs/rooms</c>. Bad arguments get a <see cref="HubException"/> that says what is wrong;
/// the connection stays open.
/// </summary>
[Authorize(Policy = RealtimeAuthenticationDefaults.ClientPolicy)]
public sealed partial class RoomHub(
    SubscriptionService subscriptions,
    NodePresenceTracker presence,
    PresenceQueries presenceQueries,
    IEventSubmitter submitter,
    EventDataRules dataRules,
    ILogger<RoomHub> logger)
    : Hub
{
    public override Task OnConnectedAsync()
    {
        subscriptions.Connected(Context.ConnectionId);
        presence.Connected(Context.ConnectionId, Context.UserIdentifier!, Context.User);
        return Task.CompletedTask;
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        presence.Disconnected(Context.ConnectionId);
        return subscriptions.DisconnectedAsync(Context.ConnectionId);
    }

    /// <summary>
    /// Subscribes to <paramref name="room"/>. With <paramref name="afterSeq"/> null the connection goes live from now;
    /// otherwise it first gets every event with seq &gt; afterSeq from history, then live events, with no gap and no
    /// duplicate. Subscribing again to a room the connection holds replaces that subscription.
    /// </summary>
    public async Task<SubscribeResult> Subscribe(string room, long? afterSeq = null, string? epoch = null)
    {
        HubArguments.Room(nameof(Subscribe), room);
        try
        {
            var result = await subscriptions.SubscribeAsync(Context.ConnectionId, room, afterSeq, epoch, Context.ConnectionAborted);
            presence.Joined(Context.ConnectionId, room);
            return result;
        }
        catch
        {
            // A failed subscribe also ended the subscription it was to replace.
            presence.Left(Context.ConnectionId, room);
            throw;
        }
    }

    /// <summary>Once this returns, no further event of <paramref name="room"/> reaches the connection.</summary>
    public async Task Unsubscribe(string room)
    {
        HubArguments.Room(nameof(Unsubscribe), room);
        await subscriptions.UnsubscribeAsync(Context.ConnectionId, room);
        presence.Left(Context.ConnectionId, room);
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

    /// <summary>Publishes an event to <paramref name="room"/>; returns once it is durably accepted.</summary>
    public async Task<PublishResult> Publish(string room, string type, JsonElement data)
    {
        HubArguments.Room(nameof(Publish), room);
        HubArguments.Type(nameof(Publish), type);
        var compact = HubArguments.Data(nameof(Publish), data, dataRules);
        var submitted = new SubmittedEvent(EventIds.New(), room, type, compact, AcceptTime.Now(TimeProvider.System));
        try
        {
            await submitter.SubmitAsync([submitted], Context.ConnectionAborted);
        }
        catch (SubmissionUnavailableException ex)
        {
            RealtimeLog.PublishRejected(logger, room, ex.Message);
            throw new HubException("Publish: the event was not accepted because the broker is unavailable; retry shortly");
        }

        RealtimeMetrics.Published(1);
        RealtimeLog.PublishAccepted(logger, submitted.Id, room, type);
        return new PublishResult(submitted.Id.ToString());
    }
}
