using Fanout.Contracts.Wire;
using Fanout.History;

namespace Fanout.Realtime.Rooms;

/// <summary>
/// What <see cref="RoomEventCache.ReadAsync"/> found: every requested event (<see cref="Events"/>), or null and the
/// position history had when it did not hold them all (another epoch, or trimmed).
/// </summary>
public sealed record CacheRead(IReadOnlyList<RoomEvent>? Events, RoomPosition? Position);
