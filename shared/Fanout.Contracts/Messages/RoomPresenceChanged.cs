using Fanout.Contracts.Wire;

namespace Fanout.Contracts.Messages;

/// <summary>
/// What the presence service routes to the realtime nodes of <paramref name="Room"/> (same exchange and routing key
/// as the room's events, message type <c>presence</c>): join/leave transitions in the order they happened.
/// </summary>
public sealed record RoomPresenceChanged(string Room, IReadOnlyList<PresenceMessage> Changes);
