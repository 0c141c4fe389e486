namespace Fanout.Client;

/// <summary>
/// One room subscribed by a <see cref="FanoutClient"/>; it stays subscribed across reconnects until disposed.
/// Disposing unsubscribes; no handler call of this room starts after that.
/// </summary>
public sealed class FanoutSubscription : IAsyncDisposable
{
    private readonly FanoutClient _client;
    private volatile bool _disposed;

    internal FanoutSubscription(FanoutClient client, string room, IRoomHandler handler, StreamPosition? start)
    {
        _client = client;
        Room = room;
        Handler = handler;
        Tracker = new RoomTracker(room, start);
    }

    /// <summary>The room this subscription is to.</summary>
    public string Room { get; }

    /// <summary>
    /// The last event handed to the handler (or the position subscribed at) and its epoch; null before the first
    /// subscribe answered. Store it to resume later with <see cref="FanoutClient.SubscribeAsync(string, IRoomHandler, StreamPosition?, CancellationToken)"/>.
    /// </summary>
    public StreamPosition? Position
    {
        get
        {
            lock (Gate)
            {
                return Tracker.LastSeq is { } seq ? new StreamPosition(seq, Tracker.Epoch) : null;
            }
        }
    }

    /// <summary>Where the subscription is now (<see cref="FanoutClient.SubscriptionStateChanged"/> raises each change).</summary>
    public SubscriptionState State { get; internal set; }

    internal IRoomHandler Handler { get; }

    /// <summary>Guards <see cref="Tracker"/> and <see cref="IsDisposed"/>; notices are queued while it is held, so in order.</summary>
    internal Lock Gate { get; } = new();

    internal RoomTracker Tracker { get; }

    /// <summary>Set under <see cref="Gate"/>; read without it by the callback loop.</summary>
    internal bool IsDisposed
    {
        get => _disposed;
        set => _disposed = value;
    }

    /// <summary>Unsubscribes; no handler call of the room starts afterwards.</summary>
    public ValueTask DisposeAsync() => _client.UnsubscribeAsync(this);
}
