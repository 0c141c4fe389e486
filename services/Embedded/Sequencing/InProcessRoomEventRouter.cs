using Fanout.Contracts.Wire;
using Fanout.Realtime.Routing;
using Fanout.Sequencer.Routing;
using Fanout.Sequencer.Tracing;

namespace Fanout.Embedded.Sequencing;

/// <summary>
/// <see cref="IRoomEventRouter"/> of the embedded mode: the one node is in this process, so committed events go straight
/// to its rooms (<see cref="InProcessNodeInbox"/>), which ignore the rooms they have no members of.
/// </summary>
public sealed class InProcessRoomEventRouter(InProcessNodeInbox inbox) : IRoomEventRouter
{
    public Task RouteAsync(IReadOnlyList<RoomEvent> committed, BatchTrace trace, CancellationToken cancellationToken)
    {
        inbox.Deliver(committed);
        return Task.CompletedTask;
    }
}
