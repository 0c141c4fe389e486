using Fanout.Contracts.Wire;

namespace Fanout.History;

/// <summary>A slice of a room's history and the position it was read at.</summary>
public sealed record RoomHistoryPage(RoomPosition Position, IReadOnlyList<RoomEvent> Events);
