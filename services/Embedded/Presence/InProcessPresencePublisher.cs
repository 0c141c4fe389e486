using Fanout.Contracts.Messages;
using Fanout.Presence.Relay;
using Fanout.Realtime.Routing;

namespace Fanout.Embedded.Presence;

/// <summary>The join/leave relay's output in the embedded mode: straight to the room's members on this (the only) node.</summary>
public sealed class InProcessPresencePublisher(InProcessNodeInbox inbox) : IPresencePublisher
{
    public async Task PublishAsync(IReadOnlyList<RoomPresenceChanged> changes, CancellationToken cancellationToken)
    {
        foreach (var changed in changes)
        {
            await inbox.DeliverPresenceAsync(changed);
        }
    }
}
