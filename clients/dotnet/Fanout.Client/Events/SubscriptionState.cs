namespace Fanout.Client;

/// <summary>Where a room's subscription is: <c>Unsubscribed → Subscribing → Subscribed</c>, and back to <c>Subscribing</c> while it recovers.</summary>
public enum SubscriptionState
{
    /// <summary>Not subscribed: not yet, disposed, refused by the hub, or the client closed.</summary>
    Unsubscribed,

    /// <summary>A subscribe is on its way (first subscribe, after a lost connection, or to fill a gap).</summary>
    Subscribing,

    /// <summary>The hub answered: events arrive live.</summary>
    Subscribed,
}
