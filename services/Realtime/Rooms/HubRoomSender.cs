using Fanout.Contracts.Wire;
using Fanout.Realtime.Hubs;
using Microsoft.AspNetCore.SignalR;

namespace Fanout.Realtime.Rooms;

/// <summary>
/// <see cref="IRoomSender"/> over SignalR groups: a group send serializes the message once per protocol and writes
/// the same bytes to every member, so an event costs one serialization per node, not per client.
/// </summary>
public sealed class HubRoomSender(IHubContext<RoomHub> hub, HubLifetimeManager<RoomHub> lifetime) : IRoomSender
{
    public const string EventMethod = "event";

    public Task SendToRoomAsync(string room, RoomEvent roomEvent) => hub.Clients.Group(GroupOf(room)).SendAsync(EventMethod, roomEvent);

    public Task SendToConnectionAsync(string connectionId, RoomEvent roomEvent) =>
        hub.Clients.Client(connectionId).SendAsync(EventMethod, roomEvent);

    public Task AddToRoomAsync(string connectionId, string room) => hub.Groups.AddToGroupAsync(connectionId, GroupOf(room));

    public Task RemoveFromRoomAsync(string connectionId, string room) => hub.Groups.RemoveFromGroupAsync(connectionId, GroupOf(room));

    public void CloseAsSlow(string connectionId)
    {
        if (lifetime is Connections.OutboxHubLifetimeManager<RoomHub> outboxes)
        {
            outboxes.CloseAsSlow(connectionId);
        }
    }

    public static string GroupOf(string room) => "room:" + room;
}
