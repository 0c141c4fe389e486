using Fanout.Contracts.Wire;
using Fanout.Sequencer.Tracing;

namespace Fanout.Sequencer.Routing;

/// <summary>
/// Routes committed events to the realtime nodes that own subscribers of their room (the routing seam).
/// Guarantee: best effort and in seq order per room; a node that misses a routed message finds the gap from
/// history (on its next event of the room, or its periodic position check), so routing never loses an event.
/// A node with no subscriber of a room receives none of that room's traffic.
/// </summary>
public interface IRoomEventRouter
{
    /// <summary>
    /// <paramref name="committed"/> is grouped by room, each room's events in seq order. <paramref name="trace"/> gives
    /// the trace each routed message continues (<see cref="BatchTrace.Off"/> when tracing is off).
    /// </summary>
    Task RouteAsync(IReadOnlyList<RoomEvent> committed, BatchTrace trace, CancellationToken cancellationToken);
}
