using Fanout.Contracts.Wire;

namespace Fanout.Contracts.Messages;

/// <summary>
/// What the sequencer routes to the realtime nodes that own subscribers of <paramref name="Room"/> after a
/// commit: consecutive events of one room in <c>seq</c> order.
/// </summary>
public sealed record RoomEventsCommitted(string Room, IReadOnlyList<RoomEvent> Events);
