using System.Runtime.InteropServices;
using Fanout.Contracts.Wire;

namespace Fanout.Realtime.Rooms;

/// <summary>
/// What an event costs the node's memory, for the byte budgets (hot cache, room inbound queues, replay buffers): its data's
/// UTF-8 bytes (read without copying) plus a fixed allowance for the record, its strings and the data's document.
/// </summary>
public static class RoomEventSize
{
    /// <summary>The allowance for everything but the data: the record, id, type, room and epoch strings, the document.</summary>
    public const int Overhead = 256;

    public static int Of(RoomEvent roomEvent) => Overhead + JsonMarshal.GetRawUtf8Value(roomEvent.Data).Length;

    public static long Of(IReadOnlyList<RoomEvent> events)
    {
        long bytes = 0;
        for (var i = 0; i < events.Count; i++)
        {
            bytes += Of(events[i]);
        }

        return bytes;
    }
}
