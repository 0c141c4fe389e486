using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace Fanout.Client;

/// <summary>Subscribing, resubscribing and routing incoming messages to the rooms' trackers.</summary>
public sealed partial class FanoutClient
{
    /// <inheritdoc cref="SubscribeAsync(string, IRoomHandler, StreamPosition?, CancellationToken)"/>
    public Task<FanoutSubscription> SubscribeAsync(
        string room, Action<FanoutEvent> onEvent, StreamPosition? from = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(onEvent);
        return SubscribeAsync(room, new DelegateRoomHandler(onEvent, null), from, cancellationToken);
    }

    /// <summary>
    /// Subscribes to <paramref name="room"/>: live from now, or — with <paramref name="from"/> — first every event
    /// after that position (then <see cref="Recovered"/>, or <see cref="Reset"/> when it cannot be recovered).
    /// Waits for a connection and the server's answer; a refusal (e.g. an invalid room) throws a
    /// <see cref="HubException"/>; a position ahead of the room is dropped for a subscribe from now (then
    /// <see cref="Reset"/>). If the connection drops meanwhile, the room is subscribed on the next one.
    /// The subscription lasts across reconnects until disposed; one per room per client.
    /// </summary>
    public async Task<FanoutSubscription> SubscribeAsync(
        string room, IRoomHandler handler, StreamPosition? from = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(room);
        ArgumentNullException.ThrowIfNull(handler);
        EnsureStarted();
        var subscription = new FanoutSubscription(this, room, handler, from);
        if (!_subscriptions.TryAdd(room, subscription))
        {
            throw new InvalidOperationException($"The client is already subscribed to {room}; dispose that subscription first.");
        }

        try
        {
            var session = await WaitConnectedAsync(cancellationToken);
            await SubscribeRoomAsync(session, subscription, callerWaits: true, cancellationToken);
            return subscription;
        }
        catch
        {
            await UnsubscribeAsync(subscription);
            throw;
        }
    }

    /// <summary>Ends <paramref name="subscription"/>: no handler call of it starts afterwards; unsubscribes on the server.</summary>
    internal async ValueTask UnsubscribeAsync(FanoutSubscription subscription)
    {
        if (!Drop(subscription, "unsubscribe") || Volatile.Read(ref _session) is not { } session)
        {
            return;
        }

        try
        {
            await session.Connection.InvokeAsync(HubMethods.Unsubscribe, subscription.Room).WaitAsync(_connectTimeout);
        }
        catch (Exception)
        {
            // The connection is gone or going: the node forgets its subscriptions with it.
        }
    }

    /// <summary>
    /// Subscribes <paramref name="subscription"/> on <paramref name="session"/> and applies the answer. A position the
    /// hub refuses as ahead of the room is dropped for a subscribe from now (then <see cref="Reset"/>); another refusal
    /// (e.g. an invalid room) throws with <paramref name="callerWaits"/>, else is reported and ends the subscription; a
    /// failure on the server is retried on this connection after a backoff delay. A lost connection is left to the next one.
    /// </summary>
    private async Task SubscribeRoomAsync(ClientSession session, FanoutSubscription subscription, bool callerWaits, CancellationToken cancellationToken)
    {
        for (var failures = 0; ; failures++)
        {
            SubscribeRequest request;
            lock (subscription.Gate)
            {
                if (subscription.IsDisposed || !ReferenceEquals(Volatile.Read(ref _session), session))
                {
                    return;
                }

                request = subscription.Tracker.BeginSubscribe();
                SetState(subscription, SubscriptionState.Subscribing, subscription.State == SubscriptionState.Unsubscribed ? "subscribe" : "resubscribe");
            }

            SubscribeReply reply;
            try
            {
                reply = await session.Connection.InvokeAsync<SubscribeReply>(
                    HubMethods.Subscribe, subscription.Room, request.AfterSeq, request.Epoch, cancellationToken);
            }
            catch (HubException ex) when (request.AfterSeq is not null && HubErrors.IsBeyondLastSeq(ex))
            {
                lock (subscription.Gate)
                {
                    subscription.Tracker.RejectPosition(RoomTracker.BeyondLastSeqReason);
                }

                continue;
            }
            catch (HubException ex) when (HubErrors.IsRefusal(ex))
            {
                if (callerWaits)
                {
                    throw;
                }

                // Asking again will not help: the hub refuses this subscription.
                RaiseError(ex, "the hub refused to subscribe", subscription.Room);
                Drop(subscription, "refused");
                return;
            }
            catch (HubException ex)
            {
                // A failure on the server (e.g. history unreachable): ask again on this connection after a while.
                RaiseError(ex, "subscribing", subscription.Room);
                await Task.Delay(_backoff.Delay(failures), _stoppingToken);
                continue;
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested && !_stoppingToken.IsCancellationRequested)
            {
                if (ReferenceEquals(Volatile.Read(ref _session), session) && !session.Closed.Task.IsCompleted)
                {
                    RaiseError(ex, "subscribing", subscription.Room);
                }

                return;
            }

            lock (subscription.Gate)
            {
                if (!subscription.IsDisposed)
                {
                    var update = subscription.Tracker.Complete(request.Attempt, reply);
                    Dispatch(subscription, update);
                    var reset = update.Notices.OfType<ResetNotice>().LastOrDefault();
                    SetState(subscription, SubscriptionState.Subscribed,
                        reset is not null ? reset.Reason ?? "unknown" : reply.Recovered ? "recovered" : "live");
                }
            }

            return;
        }
    }

    private void OnEventReceived(ClientSession session, FanoutEvent roomEvent)
    {
        if (!ReferenceEquals(Volatile.Read(ref _session), session)
            || !_subscriptions.TryGetValue(roomEvent.Room, out var subscription))
        {
            return;
        }

        RoomUpdate update;
        lock (subscription.Gate)
        {
            update = subscription.Tracker.Receive(roomEvent);
            Dispatch(subscription, update);
        }

        if (update.ResubscribeNeeded)
        {
            // A gap or another epoch while live: subscribing again from the last event handed out fills it.
            _ = SubscribeRoomAsync(session, subscription, callerWaits: false, CancellationToken.None);
        }
    }

    private void OnPresenceReceived(ClientSession session, PresenceChange change)
    {
        if (ReferenceEquals(Volatile.Read(ref _session), session)
            && _subscriptions.TryGetValue(change.Room, out var subscription))
        {
            _dispatcher.Post(
                () =>
                {
                    if (!subscription.IsDisposed)
                    {
                        subscription.Handler.OnPresence(change);
                    }
                },
                change.Room);
        }
    }

    /// <summary>Marks <paramref name="subscription"/> ended and forgets it; false when it already was.</summary>
    private bool Drop(FanoutSubscription subscription, string reason)
    {
        lock (subscription.Gate)
        {
            if (subscription.IsDisposed)
            {
                return false;
            }

            subscription.IsDisposed = true;
            SetState(subscription, SubscriptionState.Unsubscribed, reason);
        }

        _subscriptions.TryRemove(new KeyValuePair<string, FanoutSubscription>(subscription.Room, subscription));
        return true;
    }
}
