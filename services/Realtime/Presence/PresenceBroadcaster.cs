using Fanout.Contracts.Messages;
using Fanout.Realtime.Hubs;
using Fanout.Realtime.Rooms;
using Microsoft.AspNetCore.SignalR;

namespace Fanout.Realtime.Presence;

/// <summary>Sends routed join/leave messages to the room's live members on this node as hub <c>presence</c> messages.</summary>
public sealed class PresenceBroadcaster(IHubContext<RoomHub> hub)
{
    public const string PresenceMethod = "presence";

    public async Task SendAsync(RoomPresenceChanged changed)
    {
        var group = hub.Clients.Group(HubRoomSender.GroupOf(changed.Room));
        foreach (var change in changed.Changes)
        {
            await group.SendAsync(PresenceMethod, change);
        }
    }
}
