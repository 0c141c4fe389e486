namespace Fanout.Client;

/// <summary>Where a <see cref="RoomTracker"/> is between connections and subscribes.</summary>
internal enum RoomTrackerState
{
    /// <summary>Not subscribed on any connection (before the first subscribe, or after the connection was lost).</summary>
    Idle,

    /// <summary>A <c>Subscribe</c> is in flight: events are buffered until its answer is known.</summary>
    Subscribing,

    /// <summary>Subscribed: events are handed out as they come, in seq order.</summary>
    Live,
}
