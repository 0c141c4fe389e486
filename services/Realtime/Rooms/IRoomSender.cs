using Fanout.Contracts.Wire;

namespace Fanout.Realtime.Rooms;

/// <summary>Writes to this node's connections: to a room's live group (serialized once for the group) or to one connection.</summary>
public interface IRoomSender
{
    Task SendToRoomAsync(string room, RoomEvent roomEvent);

    Task SendToConnectionAsync(string connectionId, RoomEvent roomEvent);

    Task AddToRoomAsync(string connectionId, string room);

    Task RemoveFromRoomAsync(string connectionId, string room);

    /// <summary>Closes a connection that cannot keep up (reason <c>slow</c>, reconnect allowed); returns at once.</summary>
    void CloseAsSlow(string connectionId);
}
