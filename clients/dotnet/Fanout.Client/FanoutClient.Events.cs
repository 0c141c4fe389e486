namespace Fanout.Client;

/// <summary>The client's events. All are raised on the callback loop, in order with the room handlers' calls.</summary>
public sealed partial class FanoutClient
{
    /// <summary>A room was resubscribed from its last event and lost nothing; the replayed events were handed out before.</summary>
    public event Action<RoomRecovered>? Recovered;

    /// <summary>A room could not be recovered (events may be missing): reload its state. It goes on live.</summary>
    public event Action<RoomReset>? Reset;

    /// <summary>A connection to a node is open; the rooms are being resubscribed.</summary>
    public event Action<FanoutConnected>? Connected;

    /// <summary>The connection was lost (or closed by the server).</summary>
    public event Action<FanoutDisconnected>? Disconnected;

    /// <summary>A connection attempt is scheduled after a delay (backoff with jitter).</summary>
    public event Action<FanoutReconnecting>? Reconnecting;

    /// <summary>A room's subscription changed state (<see cref="SubscriptionState"/>), with the reason.</summary>
    public event Action<SubscriptionStateChanged>? SubscriptionStateChanged;

    /// <summary>Something failed that the client handled by itself (a connection attempt, a refused resubscribe, a handler that threw).</summary>
    public event Action<FanoutError>? Error;

    private void RaiseConnected(Uri hubUrl) => _dispatcher.Post(() => Connected?.Invoke(new FanoutConnected(hubUrl)));

    private void RaiseDisconnected(Uri hubUrl, Exception? error) =>
        _dispatcher.Post(() => Disconnected?.Invoke(new FanoutDisconnected(hubUrl, error)));

    private void RaiseReconnecting(int attempt, TimeSpan delay, Uri hubUrl) =>
        _dispatcher.Post(() => Reconnecting?.Invoke(new FanoutReconnecting(attempt, delay, hubUrl)));

    private void RaiseError(Exception exception, string context, string? room = null) =>
        _dispatcher.Post(() => Error?.Invoke(new FanoutError(exception, context, room)), room);

    /// <summary>Moves <paramref name="subscription"/> to <paramref name="state"/> and queues the event; called under its lock, so in order.</summary>
    private void SetState(FanoutSubscription subscription, SubscriptionState state, string reason)
    {
        if (subscription.State == state)
        {
            return;
        }

        subscription.State = state;
        var change = new SubscriptionStateChanged(subscription.Room, state, reason);
        _dispatcher.Post(() => SubscriptionStateChanged?.Invoke(change), subscription.Room);
    }

    /// <summary>Queues a room's notices for its handler and the client's events; called under the room's lock, so in order.</summary>
    private void Dispatch(FanoutSubscription subscription, RoomUpdate update)
    {
        var room = subscription.Room;
        foreach (var notice in update.Notices)
        {
            Action callback = notice switch
            {
                EventNotice e => () => subscription.Handler.OnEvent(e.Event),
                RecoveredNotice r => () => Recovered?.Invoke(new RoomRecovered(room, r.Replayed, r.Epoch, r.LastSeq)),
                ResetNotice r => () => Reset?.Invoke(new RoomReset(room, r.Reason, r.Epoch, r.LastSeq)),
                _ => throw new InvalidOperationException($"Unknown notice {notice.GetType().Name}"),
            };
            _dispatcher.Post(
                () =>
                {
                    if (!subscription.IsDisposed)
                    {
                        callback();
                    }
                },
                room);
        }
    }
}
