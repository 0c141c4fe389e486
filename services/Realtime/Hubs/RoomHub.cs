using System.Text.Json;
using Fanout.Contracts;
using Fanout.Contracts.Messages;
using Fanout.Contracts.Validation;
using Fanout.Contracts.Wire;
using Fanout.Messaging;
using Fanout.Realtime.Rooms;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;

namespace Fanout.Realtime.Hubs;

/// <summary>
/// The client hub at <c>/hubs/rooms</c>. Bad arguments get a <see cref="HubException"/> that says what is wrong;
/// the connection stays open.
/// </summary>
[Authorize]
public sealed partial class RoomHub(SubscriptionService subscriptions, IEventSubmitter submitter, EventDataRules dataRules, ILogger<RoomHub> logger)
    : Hub
{
    public override Task OnConnectedAsync()
    {
        subscriptions.Connected(Context.ConnectionId);
        return Task.CompletedTask;
    }

    public override Task OnDisconnectedAsync(Exception? exception) => subscriptions.DisconnectedAsync(Context.ConnectionId);

    /// <summary>
    /// Subscribes to <paramref name="room"/>. With <paramref name="afterSeq"/> null the connection goes live from now;
    /// otherwise it first gets every event with seq &gt; afterSeq from history, then live events, with no gap and no
    /// duplicate. Subscribing again to a room the connection holds replaces that subscription.
    /// </summary>
    public Task<SubscribeResult> Subscribe(string room, long? afterSeq = null, string? epoch = null)
    {
        HubArguments.Room(nameof(Subscribe), room);
        return subscriptions.SubscribeAsync(Context.ConnectionId, room, afterSeq, epoch, Context.ConnectionAborted);
    }

    /// <summary>Once this returns, no further event of <paramref name="room"/> reaches the connection.</summary>
    public async Task Unsubscribe(string room)
    {
        HubArguments.Room(nameof(Unsubscribe), room);
        await subscriptions.UnsubscribeAsync(Context.ConnectionId, room);
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

        return new PublishResult(submitted.Id.ToString());
    }
}
