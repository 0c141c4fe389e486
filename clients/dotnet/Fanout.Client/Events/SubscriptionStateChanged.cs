namespace Fanout.Client;

/// <summary>
/// A room's subscription changed <paramref name="State"/>, for <paramref name="Reason"/>:
/// to <c>Subscribing</c> for <c>"subscribe"</c> (the caller's), <c>"connectionLost"</c> (it is subscribed again on the
/// next connection) or <c>"resubscribe"</c> (a gap or another epoch while live); to <c>Subscribed</c> for
/// <c>"live"</c> (from now), <c>"recovered"</c> (nothing lost since its position) or the reason of the
/// <see cref="RoomReset"/> raised with it (e.g. <c>"trimmed"</c>); to <c>Unsubscribed</c> for <c>"unsubscribe"</c>
/// (disposed), <c>"refused"</c> (the hub refused it; see <c>Error</c>) or <c>"clientClosed"</c>.
/// </summary>
public sealed record SubscriptionStateChanged(string Room, SubscriptionState State, string Reason);
