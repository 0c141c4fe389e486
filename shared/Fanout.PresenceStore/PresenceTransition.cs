namespace Fanout.PresenceStore;

/// <summary>A user's first connection joined a room, or their last one left it, at <paramref name="At"/> (store time).</summary>
public sealed record PresenceTransition(string Room, string UserId, PresenceAction Action, DateTimeOffset At);
